"""Secret-free control pages: news, documentation, release notes, a public status page. Full of
harmless look-alikes (versions, dates, prices, times, public hosts, commit ids, ISBNs, ticket
keys) that must stay readable. Their address bars show public URLs."""

from .pagekit import CITIES, PUBLIC_HOSTS, card, table

# Address-bar hosts of the control pages: public sites that neither browser forces to HTTPS
# (hosts on the HSTS preload list cannot be served from the plain-HTTP loopback server)
NEWS_HOSTS = ["apnews.com", "www.reuters.com", "www.npr.org", "www.lemonde.fr", "www.spiegel.de", "www.theverge.com",
              "arstechnica.com", "lwn.net", "www.heise.de", "www.elpais.com", "www.aljazeera.com", "www.abc.net.au",
              "www.cbc.ca", "www.dw.com"]
DOCS_HOSTS = ["docs.python-requests.org", "developer.mozilla.org", "docs.rs", "docs.djangoproject.com",
              "flask.palletsprojects.com", "man7.org", "readthedocs.org", "kubernetes.io"]
PROJECT_HOSTS = ["gitlab.com", "www.mozilla.org", "www.postgresql.org", "www.kernel.org", "www.debian.org",
                 "www.rust-lang.org", "www.ruby-lang.org", "www.php.net"]
STATUS_HOSTS = ["www.githubstatus.com", "status.python.org", "status.npmjs.org"]
HEADLINES = ["City council approves new bike lanes downtown", "Library extends weekend opening hours",
             "Local bakery wins regional bread award", "Rail operator adds late trains on Fridays",
             "Harbour festival returns after two years", "New study on urban trees and summer heat",
             "Museum opens exhibition of early computers", "Marathon route changes for this year's race"]
PARAS = ["The council voted seven to two on Tuesday evening to fund the project.",
         "Construction is expected to begin in early spring and last four months.",
         "Local shop owners said they hope the changes will bring more visitors.",
         "A public meeting on the final plan is scheduled for next week.",
         "Tickets go on sale at the box office and online from Monday.",
         "Organisers expect more than ten thousand visitors over the weekend.",
         "Researchers measured temperatures on forty streets over three summers.",
         "The exhibition runs until the end of October and entry is free."]


def _public(ctx, title, host, path, body, brand, nav):
    return {"title": title, "host": host, "path": path, "body": body, "brand": ctx.g.c(brand),
            "user": None, "nav": ctx.nav(nav), "public": True}


def news(ctx):
    g, r = ctx.g, ctx.r
    items = []
    for h in r.sample(HEADLINES, r.randint(2, 4)):
        items.append(f"<h2>{g.c(h)}</h2><p class='muted'>{g.c('By a staff reporter')} · {g.c(ctx.date())}</p>"
                     + "".join(f"<p>{g.c(p)}</p>" for p in r.sample(PARAS, 2))
                     + f"<p>{g.c('Tickets from')} {g.c(ctx.price())} · {g.c('Weather in ' + r.choice(CITIES))} {g.c(str(r.randint(-5, 34)) + ' °C')}</p>")
    body = "".join(items)
    host = r.choice(NEWS_HOSTS)
    return _public(ctx, "The Example Gazette", host, "/news/local/" + str(r.randint(1000, 9999)), body,
                   r.choice(["The Example Gazette", "Daily Courier", "Metro News"]), ["World", "Local", "Sport", "Culture"])


def docs(ctx):
    g, r = ctx.g, ctx.r
    v = ctx.version().lstrip("version ").lstrip("v")
    code = "\n".join([
        g.c("$ pip install requests==2.31.0"),
        g.c("$ git clone https://github.com/psf/requests.git"),
        g.c(">>> import requests"),
        g.c(">>> r = requests.get('https://api.github.com/events')"),
        g.c(">>> r.status_code"),
        g.c("200"),
    ])
    body = (f"<h1>{g.c('Quickstart')}</h1><p>{g.c('This guide shows how to make your first request in under five minutes.')}</p>"
            f"<p>{g.c('Requires Python 3.8 or newer. Current release:')} {g.c(v)}</p><pre>{code}</pre>"
            f"<p>{g.c('See also')} {g.c(r.choice(PUBLIC_HOSTS))} {g.c('and the')} {g.c('RFC 9110')} {g.c('for HTTP semantics.')}</p>"
            + table([g.c("Method"), g.c("Since"), g.c("Description")],
                    [[g.c(m), g.c(ctx.version()), g.c(d)] for m, d in r.sample(
                        [("get()", "Send a GET request"), ("post()", "Send a POST request"), ("head()", "Fetch headers only"),
                         ("Session()", "Persist settings across requests"), ("put()", "Replace a resource"),
                         ("delete()", "Remove a resource")], 4)]))
    host = r.choice(DOCS_HOSTS)
    return _public(ctx, "Quickstart - Documentation", host, "/en/latest/user/quickstart/", body, "Documentation",
                   ["Install", "Quickstart", "Advanced", "API reference"])


def release_notes(ctx):
    g, r = ctx.g, ctx.r
    rows = []
    for _ in range(min(ctx.rows, 12)):
        rows.append([g.c(ctx.version()), g.c(ctx.date()), g.c(ctx.r.choice("0123456789abcdef") + ctx.f.chars("0123456789abcdef", 6)),
                     g.c(r.choice(["Fix crash on start-up", "Faster search index", "New dark theme", "Update translations",
                                   "Drop support for old TLS", "Improve accessibility", "Smaller downloads"]))])
    body = (f"<h1>{g.c('Release notes')}</h1><p>{g.c('Every release is signed and published on')} {g.c('github.com')}.</p>"
            + table([g.c("Version"), g.c("Date"), g.c("Commit"), g.c("Highlights")], rows)
            + f"<p class='muted'>{g.c('ISBN 978-0-13-468599-1')} · {g.c('Order #A1043-77')} · {g.c('Ticket ' + ctx.ticket())}</p>")
    host = r.choice(PROJECT_HOSTS)
    return _public(ctx, "Release notes", host, "/project/releases", body, "Project", ["Code", "Issues", "Releases", "Wiki"])


def status_page(ctx):
    g, r = ctx.g, ctx.r
    comps = ["API", "Dashboard", "Webhooks", "Search", "Notifications", "Billing", "Storage", "CDN"]
    rows = [[g.c(c), g.c(r.choice(["Operational", "Operational", "Degraded performance"])), g.c(ctx.percent()), g.c(f"{r.randint(20, 400)} ms")]
            for c in r.sample(comps, min(len(comps), max(3, ctx.rows)))]
    body = (f"<h1>{g.c('All systems operational')}</h1>" + card(g.c("Uptime over the last 90 days"), table(
        [g.c("Component"), g.c("Status"), g.c("Uptime"), g.c("Response time")], rows))
        + f"<p>{g.c('Last updated')} {g.c(ctx.time())} UTC · {g.c('Subscribe to updates')}</p>")
    host = r.choice(STATUS_HOSTS)
    return _public(ctx, "Status", host, "/", body, "Status", ["Current", "History", "Subscribe"])


TEMPLATES = {"news": news, "docs": docs, "release-notes": release_notes, "status-page": status_page}
