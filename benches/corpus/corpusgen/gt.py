"""Ground truth of one screen, collected while its content is written: every sensitive string
(text, category, kind, cores, where) and every control (harmless text that must stay readable).

Categories: url, hostname, email, ip, phone, ssn, card, iban, secret, name-in-record (a name in a
record, table or labelled field), name (a person named anywhere else: mail headers, attendee
lists, signatures, chat authors, `Name <email>`), address-bar (text typed into a browser's
address bar). `where` says where on screen: page, address-bar, popup (the address bar's
suggestion list), title (a window title)."""

import html
import re

CATEGORIES = ["secret", "url", "hostname", "email", "ip", "phone", "ssn", "card", "iban",
              "name-in-record", "name", "address-bar"]


def default_cores(text, category):
    """The part of a value that is secret on its own (>= 6 alphanumerics): reading it verbatim
    is a leak even when the rest of the string is gone."""
    a = re.sub(r"[^a-z0-9]", "", text.lower())
    if category in ("phone", "card", "ssn"):
        d = re.sub(r"\D", "", text)
        return [d] if len(d) >= 6 else []
    if category in ("iban", "address-bar"):
        return [a] if len(a) >= 6 else []
    if category == "secret":
        if text.count(".") == 2 and text.startswith("eyJ"):  # JWT: the signature is the secret
            sig = re.sub(r"[^a-z0-9]", "", text.rsplit(".", 1)[1].lower())
            return [sig] if len(sig) >= 6 else []
        return [a] if len(a) >= 6 else []
    return []


class Gt:
    def __init__(self):
        self.sensitive = []
        self.controls = []

    def s(self, text, category, kind=None, cores=None, where="page"):
        """Record a sensitive string and return it HTML-escaped for the page."""
        assert category in CATEGORIES, category
        text = str(text)
        if not any(x["text"] == text and x["category"] == category for x in self.sensitive):
            item = {"text": text, "category": category, "cores": default_cores(text, category) if cores is None else cores,
                    "where": where}
            if kind:
                item["kind"] = kind
            self.sensitive.append(item)
        return html.escape(text)

    def c(self, text):
        """Record a control (harmless, must stay readable) and return it HTML-escaped."""
        text = str(text)
        if text not in self.controls:
            self.controls.append(text)
        return html.escape(text)

    def secret(self, value, kind):
        return self.s(value, "secret", kind=kind)

    def url(self, url, token=None):
        """An internal URL as shown (scheme dropped when the display drops it); its host and any
        token in it are recorded too."""
        shown = url
        self.s(shown, "url", cores=[re.sub(r"[^a-z0-9]", "", token.lower())] if token else [])
        host = re.sub(r"^[a-z+]+://", "", url).split("/")[0].split("?")[0]
        host = host.rsplit("@", 1)[-1].split(":")[0]
        if "." in host or "-" in host:
            self.s(host, "hostname")
        if token:
            self.s(token, "secret", kind="url-token")
        return html.escape(shown)

    def add_all(self, other):
        for x in other.sensitive:
            if not any(y["text"] == x["text"] and y["category"] == x["category"] for y in self.sensitive):
                self.sensitive.append(dict(x))
        for c in other.controls:
            if c not in self.controls:
                self.controls.append(c)


def esc(text):
    return html.escape(str(text))
