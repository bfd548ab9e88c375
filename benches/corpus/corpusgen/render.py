"""Rendering one planned session: a browser walking through its pages (and typing into its
address bar), or one desktop application screen. Produces (case metadata with unfiltered
ground truth, PIL image) pairs."""

import os
import re
import subprocess

from . import desktop, documents
from .browsers import Browser
from .designs import page_html, pick_design
from .gt import Gt
from .pagekit import Ctx
from .plan import PUBLIC, TEMPLATES, case_rng
from .values import Fake
from .xsession import XSession

# what a screen that cannot be rendered raises (a window that never appears, a page that never
# loads, a tool that fails): the screen is recorded as failed and the run goes on
RENDER_ERRORS = (OSError, RuntimeError, subprocess.SubprocessError)
SEARCHES = ["payroll export march", "how to reset vpn token", "quarterly budget template", "expense policy travel",
            "oncall schedule this week", "db failover runbook", "invoice 4471 status", "new laptop request form"]


def _bar_text(url):
    """What the address bar shows for an http URL: the scheme is dropped (Chromium shows a
    'Not secure' chip instead, Firefox greys it out)."""
    return re.sub(r"^https?://", "", url)


def browser_session(sess, workdir, seed, site, port, log):
    """Yields (meta, image) per screen of a browser session, or (None, failure) for a screen that
    could not be rendered; after a failure the browser starts afresh at the next page."""
    w, h = sess["size"]
    scale = sess["scale"]
    chrome_px = 88 if sess["app"] == "chromium" else 96
    state = {"xs": None, "br": None, "history": [], "last": None, "n": 0}

    def teardown():
        if state["br"]:
            state["br"].close()
        if state["xs"]:
            state["xs"].close()
        state.update(xs=None, br=None, history=[], last=None)

    try:
        for sc in sess["screens"]:
            if sc["kind"] == "typing" and state["last"] is None:
                yield None, {"case": sc["case"], "error": "no page to type over (the page before it failed)"}
                continue
            try:
                if state["xs"] is None:
                    state["n"] += 1
                    state["xs"] = XSession(w, h, f"{workdir}-{state['n']}", maximize=True)
                    state["br"] = Browser(sess["app"], state["xs"], site, port, scale=scale, dark=sess["dark"])
                meta, img = _browser_screen(sess, sc, seed, site, state, (w / scale, (h - chrome_px * scale) / scale))
            except RENDER_ERRORS as e:
                teardown()
                yield None, {"case": sc["case"], "error": f"{type(e).__name__}: {e}"}
                continue
            meta.update({"case": sc["case"], "size": [w, h], "scale": scale, "browser_dark": sess["dark"]})
            yield meta, img
    finally:
        teardown()


def _browser_screen(sess, sc, seed, site, state, vp):
    xs, br, history, last = state["xs"], state["br"], state["history"], state["last"]
    r = case_rng(seed, sc["case"])
    f = Fake(r)
    if sc["kind"] == "page":
        tpl = sc["template"]
        d = pick_design(r)
        ctx = Ctx(r, f, d, vp)
        page = (PUBLIC.get(tpl) or TEMPLATES[tpl])(ctx)
        path = page["path"]
        public = page.get("public", False)
        token = None
        if not public and r.random() < 0.3:
            token = f.session_id()
            path += f"?{r.choice(['session', 'sid', 'token', 'auth', 'access_token', 'ref'])}={token}"
        url = f"http://{page['host']}{path}"
        html = page_html(d, page["title"], page["body"], sc["case"], page["brand"], page["user"], page["nav"])
        site.add(sc["case"], page["host"], re.split(r"[?#]", page["path"])[0], html)
        g = ctx.g
        bar = _bar_text(url)
        if not public:
            g.s(bar, "url", cores=[re.sub(r"[^a-z0-9]", "", token.lower())] if token else [], where="address-bar")
            g.s(page["host"], "hostname", where="address-bar")
            if token:
                g.s(token, "secret", kind="url-token", where="address-bar")
        if br.proc is None:
            br.start(sc["case"], url)
        else:
            br.visit(sc["case"], url)
        xs.park_pointer()
        img = xs.settle(timeout=8, min_wait=0.6)
        history.append((bar, page["host"], public))
        state["last"] = {"gt": g, "url": url, "public": public, "design": d, "template": tpl}
        meta = {"app": sess["app"], "template": tpl, "state": "page", "design": d, "url": url, "control_page": public}
    else:
        g = Gt()
        g.add_all(last["gt"])
        # the bar no longer shows the page's URL while typing: only the page's own text stays judged
        g.sensitive = [x for x in g.sensitive if x["where"] != "address-bar"]
        typed = _typed_text(sc["typing"], r, f, history)
        g.s(typed, "address-bar", where="address-bar")
        for bar, host, public in history:
            if public:
                continue
            if typed.lower() in bar.lower() or host.lower().startswith(typed.lower()[:4]):
                g.s(bar, "url", where="popup")
                g.s(host, "hostname", where="popup")
        delay = r.choice([60, 90, 120, 160, 200])
        br.type_in_address_bar(typed, delay)
        img = xs.settle(timeout=6, quiet_area=6000, min_wait=0.8)
        br.leave_address_bar()
        meta = {"app": sess["app"], "template": last["template"], "state": "typing", "typing": sc["typing"],
                "typed": typed, "typed_delay_ms": delay, "design": last["design"], "url": last["url"], "control_page": False}
    meta.update({"sensitive": g.sensitive, "controls": g.controls})
    return meta, img


def _typed_text(kind, r, f, history):
    internal = [(b, h) for b, h, p in history if not p]
    if kind == "history-prefix" and internal:
        b, h = r.choice(internal)
        return h[:r.randint(min(4, len(h)), max(4, len(h) - 1))]
    if kind == "new-host":
        h = f.hostname()
        return h[:r.randint(max(4, len(h) // 2), len(h))] + (r.choice(["", ".", "/"]) if r.random() < 0.3 else "")
    if kind == "short-host":
        return f.short_host() + r.choice([":8080", ":3000/", "/", ":9090/targets", ""])
    if kind == "url":
        u = _bar_text(f.url(with_token=r.random() < 0.5))
        return u[:r.randint(len(u) // 2, len(u))]
    return r.choice(SEARCHES)


def desktop_screen(sess, workdir, seed, log):
    """Yields (meta, image) of a desktop application's screen, trying twice; or (None, failure)."""
    sc = sess["screens"][0]
    error = None
    for attempt in (1, 2):
        try:
            yield from _desktop(sess, f"{workdir}-{attempt}", seed)
            return
        except RENDER_ERRORS as e:
            error = f"{type(e).__name__}: {e}"
            print(f"generate: {sc['case']} attempt {attempt}: {error}", file=log, flush=True)
    yield None, {"case": sc["case"], "error": error}


def _desktop(sess, workdir, seed):
    sc = sess["screens"][0]
    r = case_rng(seed, sc["case"])
    f = Fake(r)
    w, h = sess["size"]
    app = sess["app"]
    xs = XSession(w, h, workdir, maximize=sess["maximize"])
    try:
        if app == "calc":
            sheet, rows, g = documents.spreadsheet(r, f)
            img, info = desktop.calc(xs, workdir, sheet, rows, r)
            tpl = f"sheet-{sheet.lower()}"
        elif app == "mousepad":
            name, text, g = documents.editor_file(r, f)
            img, info = desktop.mousepad(xs, workdir, name, text, r)
            tpl = f"file-{name}"
        else:
            text, g, title = documents.transcript(r, f)
            img, info = desktop.terminal(xs, workdir, app, text, title, r)
            tpl = "shell"
    finally:
        xs.close()
    meta = {"case": sc["case"], "app": app, "template": tpl, "state": "desktop", "design": info, "size": [w, h],
            "maximized": sess["maximize"], "control_page": False, "sensitive": g.sensitive, "controls": g.controls}
    yield meta, img


def session_workdir(root, sess):
    return os.path.join(root, sess["screens"][0]["case"])
