"""Page templates of operations and engineering tools: dashboards, admin consoles, CI logs,
cloud consoles, API-key pages, config viewers, audit logs, runbooks, issue trackers.

A template takes a Ctx and returns the page: title, host and path (the address bar's URL),
body HTML, app bar brand/user and navigation; ground truth goes into ctx.g as it is written."""

from .gt import default_cores
from .pagekit import page, card, envname, esc, kv, table

NAV_OPS = ["Overview", "Services", "Deployments", "Alerts", "Logs", "Settings"]


def _page(ctx, title, service, path, body, brand, nav=NAV_OPS):
    return page(ctx, title, service, path, body, brand, nav)


def dashboard(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    kpis = [("Requests / min", f"{r.randint(1000, 90000):,}"), ("Error rate", ctx.percent()),
            ("p95 latency", f"{r.randint(40, 900)} ms"), ("Monthly cost", ctx.price())]
    cards = '<div class="cards">' + "".join(
        f'<div class="card"><div class="muted">{g.c(k)}</div><div style="font-size:1.6em">{g.c(v)}</div></div>'
        for k, v in r.sample(kpis, r.randint(2, 4))) + "</div>"
    rows = []
    for _ in range(ctx.rows):
        p, mail = ctx.person_email()
        rows.append([g.s(ctx.host(), "hostname"), g.s(ctx.ip(), "ip"), g.c(r.choice(["healthy", "degraded", "healthy", "draining"])),
                     g.s(mail, "email"), g.c(ctx.version()), esc(r.choice(["eu-west-1", "us-east-2", "ap-south-1", "dc2"]))])
    body = (f"<h1>{g.c('Service health')}</h1><p class='muted'>{g.c(ctx.sentence())}</p>{cards}"
            + table([g.c("Host"), g.c("Address"), g.c("Status"), g.c("Owner"), g.c("Version"), "Region"], rows))
    return _page(ctx, "Service health", r.choice(["grafana", "status", "portal", "noc"]), "/d/services/overview", body,
                 r.choice(["Ops Console", "Fleet", "Observatory", "NOC"]))


def admin_users(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    rows = []
    for _ in range(ctx.rows):
        p, mail = ctx.person_email()
        rows.append([g.s(p["full"], "name-in-record"), g.s(mail, "email"), g.c(r.choice(["Admin", "Viewer", "Editor", "Billing"])),
                     g.s(ctx.ip(), "ip"), esc(ctx.date()), g.c(r.choice(["Enabled", "Disabled"]))])
    body = (f"<h1>{g.c('User management')}</h1><p><span class='btn'>{g.c('Invite user')}</span> "
            f"<span class='btn'>{g.c('Export CSV')}</span></p>"
            + table([g.c("Name"), g.c("E-mail"), g.c("Role"), g.c("Last login from"), "Last seen", g.c("MFA")], rows))
    return _page(ctx, "Users - Admin", r.choice(["admin", "sso", "idp", "portal"]), "/admin/users", body,
                 r.choice(["Admin Console", "Identity", "Directory"]), ["Users", "Groups", "Roles", "Audit", "Settings"])


def audit_log(ctx):
    """The table of the recall issue: a column of random session ids, some with repeating digits."""
    g, r, f = ctx.g, ctx.r, ctx.f
    n = r.choice([16, 20, 20, 24, 32])
    style = r.choice(["hex", "lowent", "upperhex", "alnum"])
    rows = []
    for _ in range(ctx.rows):
        sid = f.session_id(n, style if r.random() < 0.7 else "lowent")
        rows.append([esc(f"{ctx.date()} {ctx.time()}"), g.s(ctx.email(f.person()), "email"),
                     g.c(r.choice(["login", "logout", "export", "update", "delete", "view"])), g.s(ctx.ip(), "ip"),
                     g.s(sid, "secret", kind="session-id")])
    header = r.choice(["Session", "Session ID", "sid", "Token", "Request token"])
    body = (f"<h1>{g.c('Audit log')}</h1><p class='muted'>{g.c('Showing the most recent events')}</p>"
            + table([g.c("Time"), g.c("Actor"), g.c("Action"), g.c("Source IP"), g.c(header)], rows))
    return _page(ctx, "Audit log", r.choice(["audit", "siem", "admin", "security"]), "/audit/events", body,
                 r.choice(["Security Center", "Audit", "Compliance"]), ["Events", "Alerts", "Reports", "Retention"])


def ci_log(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    reg = ctx.host("registry")
    git = ctx.host("git")
    lines = [
        f"{g.c('Started by timer')}",
        f"Cloning into 'deploy'... from {g.url('https://' + git + '/platform/deploy.git')}",
        f"{g.c('Checking out revision')} {esc(f.chars('0123456789abcdef', 40))}",
    ]
    pool = []
    for _ in range(max(4, ctx.lines - 8)):
        k = r.random()
        if k < 0.18:
            fid, label, v = f.provider_secret()
            pool.append(f"+ export {esc(envname(label))}={g.secret(v, fid)}")
        elif k < 0.3:
            pool.append(f"+ docker login -u ci -p {g.secret(f.provider_secret('dockerhub-pat')[2], 'dockerhub-pat')} {g.s(reg, 'hostname')}")
        elif k < 0.42:
            pool.append(f"Connecting to {g.s(ctx.host(), 'hostname')} ({g.s(f.ipv4_private(), 'ip')}) port 22")
        elif k < 0.52:
            url, pw, host = f.db_url(ctx.host("db-prod"))
            g.s(pw, "secret", kind="password")
            g.s(host, "hostname")
            pool.append(f"DATABASE_URL={g.s(url, 'secret', kind='connection-string', cores=default_cores(pw, 'secret'))}")
        elif k < 0.55:
            pool.append(f"curl -s -H 'Authorization: Bearer {g.secret(f.jwt(), 'jwt')}' {g.url('https://' + ctx.host('api') + '/v1/health')}")
        elif k < 0.6:
            pool.append(f"+ export {r.choice(['API_TOKEN', 'ID_TOKEN', 'SERVICE_JWT'])}={g.secret(f.jwt(), 'jwt')}")
        else:
            pool.append(g.c(r.choice(["Step 3/9 : RUN make build", "Build finished successfully in 42 seconds",
                                      "Running unit tests", "All 214 tests passed", "Uploading artifacts",
                                      "Deploying to staging", "Waiting for rollout to finish", "Cache restored",
                                      "Compiling release profile", "Pulling base image"])))
    lines += pool
    body = (f"<h1>{g.c('Console output')}</h1><p class='muted'>{g.c('Build')} {g.c('#' + str(r.randint(100, 9999)))}</p>"
            f"<pre>" + "\n".join(lines) + "</pre>")
    return _page(ctx, "deploy-prod #3018 Console", r.choice(["jenkins", "ci", "builds"]), f"/job/deploy-prod/{r.randint(100, 9999)}/console",
                 body, r.choice(["Jenkins", "Build Server", "CI"]), ["Dashboard", "Builds", "Nodes", "Credentials"])


def cloud_console(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    keys = []
    for _ in range(r.randint(2, 4)):
        fid, _, v = f.provider_secret(r.choice(["aws-access-key-id", "aws-sts-key-id"]))
        keys.append([g.secret(v, fid), g.c(r.choice(["Active", "Inactive"])), esc(ctx.date()), g.c(r.choice(["us-east-1", "eu-central-1", "global"]))])
    sec = f.provider_secret("aws-secret-access-key")[2]
    inst = []
    for _ in range(max(2, ctx.rows - 8)):
        inst.append([esc("i-0" + f.chars("0123456789abcdef", 16)), g.s(ctx.host(), "hostname"), g.s(f.ipv4_private(), "ip"),
                     g.s(f.ipv4_public(), "ip"), g.c(r.choice(["running", "stopped", "running"])), g.c(r.choice(["t3.large", "m5.xlarge", "c6g.2xlarge"]))])
    body = (f"<h1>{g.c('Security credentials')}</h1>"
            + card(g.c("Access keys"), table([g.c("Access key ID"), g.c("Status"), "Created", g.c("Region")], keys)
                   + f"<p>{g.c('Secret access key')}: <span class='mono'>{g.secret(sec, 'aws-secret-access-key')}</span></p>")
            + card(g.c("Instances"), table(["Instance", g.c("Private DNS"), g.c("Private IP"), g.c("Public IP"), g.c("State"), g.c("Type")], inst)))
    return _page(ctx, "IAM - Security credentials", r.choice(["cloud", "console", "aws-sso"]), "/iam/home#/security_credentials",
                 body, r.choice(["Cloud Console", "AWS", "Infra"]), ["IAM", "EC2", "S3", "RDS", "Billing"])


def api_keys(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    rows = []
    for _ in range(min(ctx.rows, 14)):
        fid, label, v = f.provider_secret()
        rows.append([g.c(r.choice(["Production", "Staging", "CI pipeline", "Webhook relay", "Mobile app", "Data export",
                                   "Billing sync", "Backups", "Support bot"])),
                     f"<span class='mono'>{g.secret(v, fid)}</span>", esc(ctx.date()), g.s(ctx.ip(), "ip")])
    body = (f"<h1>{g.c('API keys')}</h1><p class='muted'>{g.c('Keys grant full access to your account. Keep them secret.')}</p>"
            + table([g.c("Name"), g.c("Key"), g.c("Created"), g.c("Last used from")], rows))
    return _page(ctx, "API keys", r.choice(["developers", "portal", "api", "console"]), "/settings/api-keys", body,
                 r.choice(["Developer Portal", "Integrations", "Platform"]), ["Keys", "Webhooks", "Usage", "Docs"])


def config_viewer(ctx):
    """A code or config file in a web code viewer, syntax-coloured."""
    g, r, f = ctx.g, ctx.r, ctx.f
    kind = r.choice(["yaml", "env", "python", "json", "toml"])
    lines = []
    n = max(6, ctx.lines - 6)
    while len(lines) < n:
        k = r.random()
        if k < 0.3:
            fid, label, v = f.provider_secret()
            key = envname(label)
            lines.append(_assign(kind, key, g.secret(v, fid)))
        elif k < 0.42:
            url, pw, host = f.db_url(ctx.host())
            g.s(pw, "secret", kind="password")
            g.s(host, "hostname")
            lines.append(_assign(kind, "DATABASE_URL", g.s(url, "secret", kind="connection-string", cores=default_cores(pw, 'secret'))))
        elif k < 0.52:
            lines.append(_assign(kind, r.choice(["password", "db_password", "SMTP_PASSWORD", "admin_pass"]),
                                 g.secret(f.password(), "password")))
        elif k < 0.62:
            lines.append(_assign(kind, r.choice(["host", "api_base", "ldap_server", "redis_host"]), g.s(ctx.host(), "hostname")))
        elif k < 0.68:
            lines.append(_assign(kind, r.choice(["bind_address", "peer_ip", "gateway"]), g.s(ctx.ip(), "ip")))
        elif k < 0.74:
            lines.append(_assign(kind, r.choice(["admin_email", "alerts_to", "owner"]), g.s(ctx.email(f.person()), "email")))
        elif k < 0.8:
            lines.append(_assign(kind, "session_secret", g.secret(f.session_id(), "session-id")))
        else:
            key, val = r.choice([("log_level", "info"), ("workers", str(r.randint(2, 32))), ("timeout_seconds", "30"),
                                 ("region", "eu-west-1"), ("feature_flags", "beta_search"), ("retries", "3"),
                                 ("cache_ttl", "3600"), ("version", ctx.version())])
            lines.append(_assign(kind, key, g.c(val) if len(val) > 3 else esc(val)))
    numbered = "\n".join(f"<span class='com'>{i + 1:>3}</span>  {ln}" for i, ln in enumerate(lines))
    name = {"yaml": "values-prod.yaml", "env": ".env.production", "python": "settings.py", "json": "config.json",
            "toml": "service.toml"}[kind]
    body = f"<h1>{g.c(name)}</h1><p class='muted'>{g.c('Last commit')} {esc(ctx.date())}</p><pre>{numbered}</pre>"
    return _page(ctx, f"{name} - platform/config", r.choice(["git", "gitlab", "code", "gitea"]),
                 f"/platform/config/blob/main/{name}", body, r.choice(["Code", "GitLab", "Gitea"]), ["Files", "Commits", "Branches", "Merge requests"])


def _assign(kind, key, value_html):
    k = esc(key)
    if kind == "yaml":
        return f"<span class='kw'>{k.lower()}</span>: <span class='str'>{value_html}</span>"
    if kind == "env":
        return f"<span class='kw'>{k.upper()}</span>={value_html}"
    if kind == "python":
        return f"<span class='kw'>{k.upper()}</span> = <span class='str'>\"{value_html}\"</span>"
    if kind == "json":
        return f"  <span class='kw'>\"{k.lower()}\"</span>: <span class='str'>\"{value_html}\"</span>,"
    return f"<span class='kw'>{k.lower()}</span> = <span class='str'>\"{value_html}\"</span>"


def wiki_runbook(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    bastion = ctx.host("bastion")
    db = ctx.host("db-prod")
    url, pw, _ = f.db_url(db)
    g.s(pw, "secret", kind="password")
    vault = f.provider_secret("vault-service-token")[2]
    steps = [
        f"{g.c('Connect to the bastion host first.')}",
        f"<pre>ssh {esc('ops')}@{g.s(bastion, 'hostname')}\nssh -J {g.s(bastion, 'hostname')} admin@{g.s(f.ipv4_private(), 'ip')}</pre>",
        f"{g.c('Open a database shell with the service account.')}",
        f"<pre>psql \"{g.s(url, 'secret', kind='connection-string', cores=default_cores(pw, 'secret'))}\"</pre>",
        f"{g.c('Fetch the current credentials from Vault.')}",
        f"<pre>export VAULT_ADDR={g.url('https://' + ctx.host('vault') + ':8200')}\nexport VAULT_TOKEN={g.secret(vault, 'vault-service-token')}</pre>",
        f"{g.c('If the replica lags, page the database on-call.')} {g.c('Escalation:')} {g.s(ctx.email(f.person()), 'email')}, "
        f"{g.s(f.phone(), 'phone')}",
    ]
    owner = f.person()
    body = (f"<h1>{g.c('Runbook: database failover')}</h1><p class='muted'>{g.c('Owner')}: {g.s(owner['full'], 'name-in-record')} · "
            f"{esc(ctx.date())}</p>" + "".join(f"<p>{s}</p>" for s in steps) + f"<p>{g.c(ctx.sentence())}</p>")
    return _page(ctx, "Runbook: database failover - Wiki", r.choice(["wiki", "confluence", "docs"]), "/spaces/OPS/pages/failover",
                 body, r.choice(["Wiki", "Confluence", "Knowledge Base"]), ["Spaces", "Recent", "Runbooks", "People"])


def issue_tracker(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    rep, asg = f.person(), f.person()
    key = ctx.ticket()
    host = ctx.host()
    log = (f"ERROR upstream {g.s(host, 'hostname')} ({g.s(ctx.ip(), 'ip')}) timed out after 30s\n"
           f"WARN retrying with token={g.secret(f.session_id(), 'session-id')}\n"
           f"INFO request from {g.s(ctx.ip(), 'ip')} user={g.s(ctx.email(rep), 'email')}")
    comments = []
    for _ in range(r.randint(2, 4)):
        p = f.person()
        extra = r.choice([
            lambda: f" {g.c('Temporary password is')} {g.secret(f.password(), 'password')}",
            lambda: f" {g.c('Repro at')} {g.url(f.url(ctx.host()))}",
            lambda: f" {g.c('Call me on')} {g.s(f.phone(), 'phone')}",
            lambda: "",
        ])()
        comments.append(f"<div class='msg'><span class='who'>{g.s(p['full'], 'name')}</span> "
                        f"<span class='muted'>{esc(ctx.date())}</span><br>{g.c(ctx.sentence())}{extra}</div>")
    body = (f"<h1>{g.c(key)} {g.c(r.choice(['Checkout fails for some users', 'Nightly export is slow', 'Login loop on SSO', 'Alerts not delivered']))}</h1>"
            + kv([(g.c("Reporter"), g.s(rep["full"], "name-in-record")), (g.c("Assignee"), g.s(asg["full"], "name-in-record")),
                  (g.c("Priority"), g.c(r.choice(["High", "Medium", "Low"]))), (g.c("Fix version"), g.c(ctx.version()))])
            + f"<h2>{g.c('Description')}</h2><pre>{log}</pre><h2>{g.c('Comments')}</h2>" + "".join(comments))
    return _page(ctx, f"{key} - Issues", r.choice(["jira", "issues", "tracker", "youtrack"]), f"/browse/{key}", body,
                 r.choice(["Jira", "Issues", "Tracker"]), ["Board", "Backlog", "Reports", "Releases"])


TEMPLATES = {"dashboard": dashboard, "admin-users": admin_users, "audit-log": audit_log, "ci-log": ci_log,
             "cloud-console": cloud_console, "api-keys": api_keys, "config-viewer": config_viewer,
             "wiki-runbook": wiki_runbook, "issue-tracker": issue_tracker}
