"""Page templates of data and credential tools: a SQL console with a result grid, a hosting
platform's environment variables, a code review diff, a password-manager entry, an order in a
shop's back office. Their layouts (snake_case column headers, key/value lists with masked
neighbours, diff gutters, revealed fields) differ from the other templates on purpose."""

import string

from .gt import default_cores
from .pagekit import page, CITIES, card, envname, esc, kv, table

NAV_DATA = ["Databases", "Queries", "Schemas", "History", "Settings"]


def _page(ctx, title, service, path, body, brand, nav=NAV_DATA):
    return page(ctx, title, service, path, body, brand, nav, user_share=0.5)


def sql_console(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    cols = r.sample(["email", "phone_number", "ssn", "last_login_ip", "api_token", "full_name", "iban"], 4)
    rows = []
    for _ in range(min(ctx.rows, 18)):
        p = f.person()
        cell = {"email": lambda: g.s(f.email(p), "email"), "phone_number": lambda: g.s(f.phone(), "phone"),
                "ssn": lambda: g.s(f.ssn(), "ssn"), "last_login_ip": lambda: g.s(ctx.ip(), "ip"),
                "api_token": lambda: g.secret(f.session_id(r.choice([24, 32, 40])), "session-id"),
                "full_name": lambda: g.s(p["full"], "name-in-record"), "iban": lambda: g.s(f.iban(), "iban")}
        rows.append([esc(str(r.randint(1000, 99999)))] + [cell[c]() for c in cols] + [esc(ctx.date())])
    where = g.s(ctx.email(f.person()), "email")
    query = (f"<span class='kw'>SELECT</span> id, {', '.join(cols)}, created_at <span class='kw'>FROM</span> customers\n"
             f"<span class='kw'>WHERE</span> referrer = <span class='str'>'{where}'</span> "
             f"<span class='kw'>ORDER BY</span> created_at <span class='kw'>DESC</span> <span class='kw'>LIMIT</span> 50;")
    body = (f"<h1>{g.c('Query editor')}</h1><pre>{query}</pre>"
            f"<p class='muted'>{g.c(str(len(rows)) + ' rows returned')}</p>"
            + table(["id"] + cols + ["created_at"], rows, "mono"))
    return _page(ctx, "Query - customers", r.choice(["pgadmin", "metabase", "dbconsole", "redash"]), "/query/new", body,
                 r.choice(["pgAdmin", "Metabase", "DB Console", "Redash"]))


def env_settings(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    pairs = []
    for _ in range(min(ctx.rows, 14)):
        k = r.random()
        if k < 0.4:
            fid, label, v = f.provider_secret()
            pairs.append((esc(envname(label)), f"<span class='mono'>{g.secret(v, fid)}</span>"))
        elif k < 0.55:
            url, pw, host = f.db_url(ctx.host())
            g.s(pw, "secret", kind="password")
            g.s(host, "hostname")
            pairs.append((esc(r.choice(["DATABASE_URL", "REDIS_URL", "BROKER_URL", "MONGO_URI"])),
                          f"<span class='mono'>{g.s(url, 'secret', kind='connection-string', cores=default_cores(pw, 'secret'))}</span>"))
        elif k < 0.68:
            pairs.append((esc(r.choice(["SMTP_PASSWORD", "ADMIN_PASSWORD", "LDAP_BIND_PASSWORD", "DB_PASS"])),
                          f"<span class='mono'>{g.secret(f.password(), 'password')}</span>"))
        elif k < 0.76:
            pairs.append((esc(r.choice(["COOKIE_SECRET", "SESSION_KEY", "SIGNING_SECRET"])),
                          f"<span class='mono'>{g.secret(f.session_id(), 'session-id')}</span>"))
        elif k < 0.84:
            pairs.append((esc(r.choice(["INTERNAL_API_HOST", "UPSTREAM", "LDAP_HOST"])), g.s(ctx.host(), "hostname")))
        elif k < 0.9:
            pairs.append((esc("ALERT_EMAIL"), g.s(ctx.email(f.person()), "email")))
        else:
            key, val = r.choice([("NODE_ENV", "production"), ("LOG_LEVEL", "warning"), ("WEB_CONCURRENCY", "4"),
                                 ("TZ", "Europe/Lisbon"), ("FEATURE_NEW_CHECKOUT", "enabled")])
            pairs.append((esc(key), g.c(val) if len(val) > 3 else esc(val)))
    masked = [(esc(n), "&bull;" * 12) for n in r.sample(["GITHUB_TOKEN", "SENTRY_AUTH", "NPM_TOKEN"], r.randint(1, 2))]
    allp = pairs + masked
    r.shuffle(allp)
    body = (f"<h1>{g.c('Environment variables')}</h1><p class='muted'>{g.c('Values are encrypted at rest and shown to project owners only.')}</p>"
            + card(g.c("Production"), kv(allp)))
    return _page(ctx, "Environment - Settings", r.choice(["deploy", "apps", "paas", "platform"]), "/apps/web/settings/env", body,
                 r.choice(["App Platform", "Deploy", "Hosting"]), ["Overview", "Deployments", "Logs", "Settings"])


def pull_request(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    author, rev = f.person(), f.person()
    lines = []
    for _ in range(max(6, min(ctx.lines - 12, 26))):
        k = r.random()
        sign = r.choice(["+", "+", "-", " "])
        if k < 0.3:
            fid, label, v = f.provider_secret()
            text = f"{esc(envname(label).lower())}: \"{g.secret(v, fid)}\""
        elif k < 0.42:
            text = f"password: \"{g.secret(f.password(), 'password')}\""
        elif k < 0.54:
            text = f"host: {g.s(ctx.host(), 'hostname')}"
        elif k < 0.62:
            text = f"allow_from: {g.s(f.ipv4_private(), 'ip')}"
        elif k < 0.68:
            text = f"notify: {g.s(ctx.email(f.person()), 'email')}"
        else:
            sign = " "
            text = esc(r.choice(["replicas: 3", "image: web:latest", "timeout: 30s", "retries: 5", "# shared settings",
                                 "resources:", "  limits:", "    memory: 512Mi", "enabled: true"]))
        cls = {"+": "str", "-": "kw", " ": ""}[sign]
        lines.append(f"<span class='com'>{len(lines) + 40:>4}</span> <span class='{cls}'>{sign} {text}</span>")
    title = r.choice(["Move staging settings into values file", "Rotate credentials for the billing worker",
                      "Add read replica to config"])
    comment = (f"<div class='msg'><span class='who'>{g.s(rev['full'], 'name')}</span> {g.c('commented')}<br>"
               f"{g.c('Please do not commit credentials; use the secret store instead.')}</div>")
    body = (f"<h1>{g.c(title)} <span class='muted'>#{r.randint(100, 4000)}</span></h1>"
            f"<p class='muted'>{g.s(author['full'], 'name')} {g.c('wants to merge 2 commits into main')}</p>"
            f"<h2>{g.c('deploy/values-staging.yaml')}</h2><pre>" + "\n".join(lines) + "</pre>" + comment)
    return _page(ctx, f"{title} - Pull request", r.choice(["git", "code", "review", "gitea"]), f"/platform/deploy/pull/{r.randint(100, 4000)}/files",
                 body, r.choice(["Code Review", "Gitea", "Forge"]), ["Code", "Pull requests", "Actions", "Wiki"])


def vault_item(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    p = f.person()
    host = ctx.host(r.choice(["vpn", "sso", "admin", "jira"]))
    totp = "".join(r.choice(string.ascii_uppercase + "234567") for _ in range(r.choice([16, 32])))
    codes = [f"{f.chars('0123456789abcdef', 4)}-{f.chars('0123456789abcdef', 4)}" for _ in range(r.randint(2, 4))]
    pairs = [(g.c("Username"), g.s(ctx.email(p), "email")),
             (g.c("Password"), f"<span class='mono'>{g.secret(f.password(), 'password')}</span>"),
             (g.c("Website"), g.url("https://" + host + "/login")),
             (g.c(r.choice(["One-time password secret", "TOTP seed", "Authenticator key"])),
              f"<span class='mono'>{g.secret(totp, 'totp-seed')}</span>"),
             (g.c("Recovery codes"), "<span class='mono'>" + " ".join(g.secret(c, "recovery-code") for c in codes) + "</span>"),
             (g.c("Last modified"), esc(ctx.date()))]
    body = (f"<h1>{g.c(r.choice(['VPN', 'SSO admin', 'Jira service account']))}</h1>"
            + card(g.c("Login"), kv(pairs)) + f"<p class='muted'>{g.c('Shared with the Platform vault')}</p>")
    return _page(ctx, "Vault - Login", r.choice(["vault", "passwords", "bitwarden"]), "/#/vault/item", body,
                 r.choice(["Vault", "Passwords", "Bitwarden"]), ["All items", "Favourites", "Logins", "Secure notes"])


def order_admin(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    p = f.person()
    last4 = f"{r.randint(0, 9999):04d}"
    pairs = [(g.c("Customer"), g.s(p["full"], "name-in-record")), (g.c("Email"), g.s(f.email(p), "email")),
             (g.c("Phone"), g.s(f.phone(), "phone")), (g.c("Ship to"), g.c(f"{r.randint(1, 400)} {r.choice(['Harbour', 'Mill', 'Station', 'Park'])} Road, {r.choice(CITIES)}")),
             (g.c("Payment"), g.c(f"{r.choice(['Visa', 'Mastercard', 'Amex'])} ending {last4}")),
             (g.c("Refund account"), g.s(f.iban(), "iban")), (g.c("Placed from"), g.s(ctx.ip(), "ip"))]
    items = [[g.c(r.choice(["Desk lamp", "Notebook set", "USB-C hub", "Office chair", "Monitor arm"])), esc(str(r.randint(1, 4))),
              g.c(ctx.price())] for _ in range(r.randint(2, 4))]
    note = ""
    if r.random() < 0.6:
        note = (f"<div class='msg'><span class='who'>{g.s(f.person()['full'], 'name')}</span> "
                f"{g.c('Customer called; card on file is')} {g.s(f.card(), 'card')}</div>")
    body = (f"<h1>{g.c('Order')} #{r.randint(10000, 99999)}</h1>" + card(g.c("Details"), kv(pairs))
            + card(g.c("Items"), table([g.c("Item"), "Qty", g.c("Price")], items)) + note)
    return _page(ctx, "Order - Back office", r.choice(["shop-admin", "orders", "backoffice"]), "/admin/orders/view", body,
                 r.choice(["Back Office", "Shop Admin", "Orders"]), ["Orders", "Customers", "Refunds", "Reports"])


TEMPLATES = {"sql-console": sql_console, "env-settings": env_settings, "pull-request": pull_request,
             "vault-item": vault_item, "order-admin": order_admin}
