"""What every page template shares: the context (random source, fake values, design, ground
truth, how much fits on screen), harmless look-alikes, and small HTML builders."""

import re

from .gt import Gt, esc

PUBLIC_HOSTS = ["github.com", "docs.python.org", "pypi.org", "developer.mozilla.org", "en.wikipedia.org",
                "stackoverflow.com", "crates.io", "docs.rs", "kernel.org", "debian.org", "npmjs.com",
                "rust-lang.org", "nodejs.org", "kubernetes.io", "postgresql.org", "gitlab.com", "mozilla.org"]
CITIES = ["Lisbon", "Osaka", "Nairobi", "Toronto", "Krakow", "Austin", "Lyon", "Pune", "Leeds", "Porto Alegre",
          "Rotterdam", "Adelaide", "Bergen", "Seville", "Hamburg", "Tallinn", "Denver", "Cork", "Accra", "Busan"]
WORDS = ["quarterly review", "release train", "capacity planning", "incident retrospective", "migration plan",
         "office move", "holiday schedule", "budget forecast", "onboarding checklist", "design review",
         "team offsite", "vendor renewal", "security training", "performance review", "roadmap sync"]
SENTENCES = [
    "The nightly job finished without errors and the report is ready for review.",
    "Please update the checklist before the next planning meeting.",
    "All services are operating normally in every region.",
    "Remember to rotate on-call duties at the end of the week.",
    "The new dashboard loads twice as fast as the old one.",
    "Maintenance is scheduled for Saturday morning and should take two hours.",
    "Thanks everyone for the quick turnaround on this release.",
    "We will archive the old project space at the end of the month.",
    "Coffee machine on the third floor has been repaired.",
    "Expense reports are due on the last working day of each month.",
    "The migration moved all archived records to cold storage.",
    "Customer satisfaction rose four points compared with last quarter.",
    "Backups completed successfully and were verified this morning.",
    "Build times dropped after we enabled the shared cache.",
    "The training session will be recorded for those who cannot attend.",
    "Traffic peaked at noon and stayed within the planned capacity.",
]


class Ctx:
    """Everything a template needs. `vp` is the CSS viewport (width, height) the page will get."""

    def __init__(self, rng, fake, design, vp):
        self.r, self.f, self.d = rng, fake, design
        self.g = Gt()
        self.company = fake.company()
        self.domain = fake.internal_domain(self.company)
        self.mail_domain = fake.company_domain(self.company) if rng.random() < 0.6 else self.domain
        w, h = vp
        z = design["zoom"]
        row_px = design["font_px"] * 1.45 + (6 if design["style"] == "compact" else 15)
        self.rows = max(3, min(40, int((h / z - 150) / row_px)))
        self.lines = max(6, min(70, int((h / z - 120) / (design["font_px"] * 1.45))))
        self.wide = w / z > 1100

    # --- harmless look-alikes (controls) ------------------------------------------------
    def version(self):
        return self.r.choice(["v", "", "version "]) + f"{self.r.randint(0, 9)}.{self.r.randint(0, 30)}.{self.r.randint(0, 20)}"

    def date(self):
        y, m, d = self.r.randint(2023, 2027), self.r.randint(1, 12), self.r.randint(1, 28)
        months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
        return self.r.choice([f"{y}-{m:02d}-{d:02d}", f"{d} {months[m - 1]} {y}", f"{months[m - 1]} {d}, {y}",
                              f"{d:02d}.{m:02d}.{y}"])

    def time(self):
        return self.r.choice([f"{self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}",
                              f"{self.r.randint(1, 12)}:{self.r.randint(0, 59):02d} {self.r.choice(['AM', 'PM'])}"])

    def price(self):
        v = self.r.randint(5, 250000) + self.r.choice([0, 0.5, 0.99, 0.25])
        return self.r.choice([f"${v:,.2f}", f"€{v:,.2f}", f"£{v:,.2f}", f"{v:,.2f} USD", f"CHF {v:,.0f}"])

    def percent(self):
        return f"{self.r.uniform(0, 100):.{self.r.choice([0, 1, 2])}f}%"

    def ticket(self):
        return f"{self.r.choice(['OPS', 'INFRA', 'PAY', 'HR', 'WEB', 'SEC', 'DATA'])}-{self.r.randint(100, 9999)}"

    def public_link(self):
        host = self.r.choice(PUBLIC_HOSTS)
        path = self.r.choice(["", "/docs", "/en-US/docs/Web/HTTP", "/project/requests", "/wiki/Bicycle", "/releases"])
        return host + path

    def sentence(self):
        return self.r.choice(SENTENCES)

    def control_sentences(self, n):
        out = self.r.sample(SENTENCES, min(n, len(SENTENCES)))
        return [self.g.c(s) for s in out]

    # --- sensitive helpers ------------------------------------------------------------------
    def host(self, service=None):
        return self.f.hostname(self.domain if self.r.random() < 0.7 else None, service)

    def email(self, p=None):
        return self.f.email(p, self.mail_domain if p is not None and self.r.random() < 0.8 else None)

    def person_email(self):
        p = self.f.person()
        return p, self.email(p)

    def ip(self):
        return self.f.ipv4() if self.r.random() < 0.85 else self.f.ipv6()

    def nav(self, items):
        """Sidebar entries: controls only when the design shows a sidebar."""
        if not self.d["sidebar"]:
            return []
        return [self.g.c(n) for n in items]

    def user_badge(self):
        """'Signed in as NAME' in the app bar: a person named outside a record."""
        p = self.f.person()
        return self.g.s(p["full"], "name")


def page(ctx, title, service, path, body, brand, nav, user_share=0.6):
    """What every template returns: title, host and path (the address bar's URL), body HTML, app
    bar brand, the signed-in user (a name outside a record) on `user_share` of pages, navigation."""
    return {"title": title, "host": ctx.host(service), "path": path, "body": body, "brand": ctx.g.c(brand),
            "user": ctx.user_badge() if ctx.r.random() < user_share else None, "nav": ctx.nav(nav)}


def envname(label):
    """A label as an environment variable name: 'oc login --token' -> OC_LOGIN_TOKEN."""
    return re.sub(r"[^A-Z0-9]+", "_", label.upper()).strip("_")


def table(headers, rows, cls=""):
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def kv(pairs):
    return '<div class="kv">' + "".join(f'<div class="k">{k}</div><div>{v}</div>' for k, v in pairs) + "</div>"


def card(title, inner):
    return f'<div class="card"><h2>{title}</h2>{inner}</div>'


__all__ = ["Ctx", "page", "envname", "table", "kv", "card", "esc", "PUBLIC_HOSTS", "CITIES", "WORDS", "SENTENCES"]
