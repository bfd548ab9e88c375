"""Content for the desktop applications: spreadsheets of records (LibreOffice Calc), config
and code files (the text editor), and shell sessions (the terminals). Each returns its content
with the ground truth collected in a Gt."""

import base64

from .gt import Gt, default_cores
from .pagekit import CITIES, envname

ESC = "\033"


def spreadsheet(r, f):
    """(sheet name, rows of cell strings with the header first, Gt)."""
    g = Gt()
    kind = r.choice(["customers", "payroll", "cards", "inventory", "contacts"])
    cols = {
        "customers": ["Name", "Email", "Phone", "City", "Card number", "Balance"],
        "payroll": ["Employee", "SSN", "IBAN", "Email", "Department", "Salary"],
        "cards": ["Cardholder", "Card", "Expiry", "Phone", "Email", "Limit"],
        "inventory": ["Hostname", "IP address", "Owner", "Admin password", "Location", "OS"],
        "contacts": ["Full name", "Mobile", "Work phone", "E-mail", "Company", "Country"],
    }[kind]
    rows = [[g.c(c) if len(c) >= 5 else c for c in cols]]
    for _ in range(r.randint(10, 34)):
        p = f.person()
        cell = {
            "Name": lambda: _rec(g, p["full"], "name-in-record"),
            "Employee": lambda: _rec(g, p["full"], "name-in-record"),
            "Cardholder": lambda: _rec(g, p["full"], "name-in-record"),
            "Full name": lambda: _rec(g, p["full"], "name-in-record"),
            "Owner": lambda: _rec(g, f.email(p), "email"),
            "Email": lambda: _rec(g, f.email(p), "email"), "E-mail": lambda: _rec(g, f.email(p), "email"),
            "Phone": lambda: _rec(g, f.phone(), "phone"), "Mobile": lambda: _rec(g, f.phone(), "phone"),
            "Work phone": lambda: _rec(g, f.phone(), "phone"),
            "City": lambda: r.choice(CITIES), "Location": lambda: r.choice(["Rack A4", "DC2 row 7", "Cage 12", "Lab 3"]),
            "Card number": lambda: _rec(g, f.card(), "card"), "Card": lambda: _rec(g, f.card(), "card"),
            "Balance": lambda: f"{r.uniform(-500, 25000):,.2f}", "Limit": lambda: f"{r.choice([500, 1000, 2500, 5000, 10000]):,}",
            "SSN": lambda: _rec(g, f.ssn(), "ssn"), "IBAN": lambda: _rec(g, f.iban(), "iban"),
            "Department": lambda: r.choice(["Finance", "Engineering", "Sales", "Support", "Legal"]),
            "Salary": lambda: f"{r.randint(38, 190) * 1000:,}", "Expiry": lambda: f"{r.randint(1, 12):02d}/{r.randint(26, 32)}",
            "Hostname": lambda: _rec(g, f.hostname(), "hostname"), "IP address": lambda: _rec(g, f.ipv4(), "ip"),
            "Admin password": lambda: _rec(g, f.password(), "secret", "password"),
            "OS": lambda: r.choice(["Debian 12", "Ubuntu 22.04", "RHEL 9", "Windows Server 2022"]),
            "Company": lambda: f.company().title() + r.choice([" Ltd", " GmbH", " Inc.", ""]),
            "Country": lambda: r.choice(["Germany", "India", "France", "United Kingdom", "Brazil", "Japan", "Kenya"]),
        }
        rows.append([cell[c]() for c in cols])
    return kind.capitalize(), rows, g


def _rec(g, value, category, kind=None):
    g.s(value, category, kind=kind)
    return value


def editor_file(r, f):
    """(file name, text, Gt) of a config or code file with secrets in it."""
    g = Gt()
    kind = r.choice(["env", "yaml", "python", "compose", "kubeconfig", "ssh", "pem", "ini", "js"])
    dom = f.internal_domain()
    lines = []

    def secret_line(fmt):
        fid, label, v = f.provider_secret()
        g.s(v, "secret", kind=fid)
        key = envname(label)
        return fmt.format(k=key, kl=key.lower(), v=v)

    def db_line(fmt):
        url, pw, host = f.db_url(f.hostname(dom))
        g.s(url, "secret", kind="connection-string", cores=default_cores(pw, "secret"))
        g.s(pw, "secret", kind="password")
        g.s(host, "hostname")
        return fmt.format(v=url)

    def host_line(fmt):
        h = f.hostname(dom)
        g.s(h, "hostname")
        return fmt.format(v=h)

    def ip_line(fmt):
        ip = f.ipv4()
        g.s(ip, "ip")
        return fmt.format(v=ip)

    def mail_line(fmt):
        e = f.email()
        g.s(e, "email")
        return fmt.format(v=e)

    def pw_line(fmt):
        pw = f.password()
        g.s(pw, "secret", kind="password")
        return fmt.format(v=pw)
    n = r.randint(14, 40)
    if kind == "env":
        name = r.choice([".env", ".env.production", "app.env", "secrets.env"])
        gens = [lambda: secret_line("{k}={v}"), lambda: db_line("DATABASE_URL={v}"), lambda: host_line("REDIS_HOST={v}"),
                lambda: pw_line("SMTP_PASSWORD={v}"), lambda: mail_line("ADMIN_EMAIL={v}"), lambda: ip_line("BIND_ADDR={v}"),
                lambda: g.c("# feature flags") or "# feature flags", lambda: "DEBUG=false", lambda: "WORKERS=4"]
    elif kind in ("yaml", "compose"):
        name = r.choice(["values-prod.yaml", "config.yml", "application.yaml"]) if kind == "yaml" else "docker-compose.yml"
        gens = [lambda: secret_line("  {kl}: \"{v}\""), lambda: db_line("  database_url: {v}"), lambda: host_line("  host: {v}"),
                lambda: pw_line("  password: {v}"), lambda: mail_line("  notify: {v}"), lambda: ip_line("  peer: {v}"),
                lambda: "  replicas: 3", lambda: "  image: nginx:1.25", lambda: g.c("# managed by platform team") or "# managed by platform team"]
    elif kind in ("python", "js"):
        name = "settings.py" if kind == "python" else "config.js"
        q = "{k} = \"{v}\"" if kind == "python" else "  {kl}: '{v}',"
        gens = [lambda: secret_line(q), lambda: db_line("DATABASES_URL = \"{v}\"" if kind == "python" else "  dbUrl: '{v}',"),
                lambda: host_line("ALLOWED_HOST = \"{v}\"" if kind == "python" else "  apiHost: '{v}',"),
                lambda: pw_line("EMAIL_HOST_PASSWORD = \"{v}\"" if kind == "python" else "  password: '{v}',"),
                lambda: mail_line("ADMINS = [(\"ops\", \"{v}\")]" if kind == "python" else "  admin: '{v}',"),
                lambda: "TIME_ZONE = \"UTC\"" if kind == "python" else "  retries: 3,", lambda: "DEBUG = False" if kind == "python" else "  debug: false,"]
    elif kind == "kubeconfig":
        name = "kubeconfig.yaml"
        server = f.hostname(dom, "k8s-api")
        g.s(server, "hostname")
        tok = f.jwt()
        g.s(tok, "secret", kind="jwt")
        lines = ["apiVersion: v1", "clusters:", "- cluster:", f"    server: https://{server}:6443", "  name: prod",
                 "users:", "- name: deployer", "  user:", f"    token: {tok}"]
        gens = [lambda: secret_line("# {kl}: {v}"), lambda: host_line("# bastion: {v}")]
        n = len(lines) + r.randint(2, 6)
    elif kind == "ssh":
        name = "config"
        gens = [lambda: host_line("Host {v}") + "\n  User deploy\n  IdentityFile ~/.ssh/id_ed25519",
                lambda: ip_line("  HostName {v}"), lambda: host_line("  ProxyJump {v}")]
    elif kind == "pem":
        name = r.choice(["id_rsa", "server.key", "deploy_key.pem"])
        kindname, body = f.pem_lines(r.randint(8, 20))
        for b in body:
            g.s(b, "secret", kind="pem-private-key")
        lines = [f"-----BEGIN {kindname}-----"] + body + [f"-----END {kindname}-----"]
        gens, n = [], len(lines)
    else:
        name = "odbc.ini"
        gens = [lambda: host_line("Server={v}"), lambda: pw_line("Password={v}"), lambda: "Port=1433", lambda: "Driver=FreeTDS",
                lambda: secret_line("{k}={v}")]
    while len(lines) < n and gens:
        lines.append(r.choice(gens)())
    return name, "\n".join(lines) + "\n", g


# ---------------------------------------------------------------------------- shell sessions
def _c(code, text):
    return f"{ESC}[{code}m{text}{ESC}[0m"


def transcript(r, f):
    """(ANSI text of a shell session, Gt, window title)."""
    g = Gt()
    user = f.ascii_fold(f.person()["first"])
    host = f.hostname(None, r.choice(["bastion", "jump", "ops", "build", "admin"]))
    short = host.split(".")[0]
    show_fqdn = r.random() < 0.4
    if show_fqdn:
        g.s(host, "hostname")
    shown = host if show_fqdn else short
    colour = r.random() < 0.7

    def prompt(cmd):
        p = f"{user}@{shown}:~$ " if not colour else f"{_c('1;32', f'{user}@{shown}')}:{_c('1;34', '~')}$ "
        return p + cmd
    out = []
    steps = r.sample(["ssh", "curl", "env", "kubectl", "aws", "git", "ip", "psql", "docker", "dig", "cat"], r.randint(3, 5))
    for s in steps:
        if s == "ssh":
            h, ip = f.hostname(), f.ipv4_private()
            g.s(h, "hostname"); g.s(ip, "ip")
            out += [prompt(f"ssh admin@{h}"), f"Warning: Permanently added '{h},{ip}' (ED25519) to the list of known hosts.",
                    f"Last login: Mon Mar  3 09:12:44 2025 from {_rec(g, f.ipv4(), 'ip')}"]
        elif s == "curl":
            fid, label, v = f.provider_secret()
            g.s(v, "secret", kind=fid)
            h = f.hostname()
            g.s(h, "hostname")
            out += [prompt(f"curl -s -H 'Authorization: Bearer {v}' https://{h}/api/v1/status"),
                    '{"status":"ok","region":"eu-west-1","version":"4.2.1"}']
        elif s == "env":
            out.append(prompt("env | grep -i -E 'key|token|secret|pass'"))
            for _ in range(r.randint(2, 5)):
                fid, label, v = f.provider_secret()
                g.s(v, "secret", kind=fid)
                out.append(f"{envname(label)}={v}")
        elif s == "kubectl":
            out.append(prompt("kubectl get pods -o wide"))
            out.append("NAME                          READY   STATUS    RESTARTS   AGE   IP             NODE")
            for i in range(r.randint(3, 6)):
                ip = f.ipv4_private()
                node = f.hostname(None, "k8s-node")
                g.s(ip, "ip"); g.s(node, "hostname")
                out.append(f"api-{f.chars('abcdef0123456789', 9)}-{f.chars('abcdefghijklmnopqrstuvwxyz', 5)}   1/1     Running   0          {r.randint(1, 40)}d   {ip:<14} {node}")
            if r.random() < 0.5:
                pw = f.password()
                g.s(pw, "secret", kind="password")
                b64 = base64.b64encode(pw.encode()).decode()
                g.s(b64, "secret", kind="k8s-secret-b64")
                out += [prompt("kubectl get secret db-creds -o jsonpath='{.data.password}'"), b64]
        elif s == "aws":
            fid, _, kid = f.provider_secret("aws-access-key-id")
            sec = f.provider_secret("aws-secret-access-key")[2]
            g.s(kid, "secret", kind=fid); g.s(sec, "secret", kind="aws-secret-access-key")
            out += [prompt("aws configure list"), "      Name                    Value             Type    Location",
                    "      ----                    -----             ----    --------",
                    f"   profile                  default           manual    --profile",
                    f"access_key     {kid} shared-credentials-file", prompt("cat ~/.aws/credentials"), "[default]",
                    f"aws_access_key_id = {kid}", f"aws_secret_access_key = {sec}"]
        elif s == "git":
            out.append(prompt("git log --format='%h %an <%ae> %s' -4"))
            for _ in range(4):
                p = f.person()
                e = f.email(p)
                g.s(p["full"], "name"); g.s(e, "email")
                out.append(f"{f.chars('0123456789abcdef', 7)} {p['full']} <{e}> {r.choice(['Fix flaky test', 'Bump deps', 'Add retry to client', 'Update docs'])}")
        elif s == "ip":
            ip, ip6 = f.ipv4_private(), f.ipv6()
            g.s(ip, "ip"); g.s(ip6, "ip")
            out += [prompt("ip addr show eth0"), "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP",
                    f"    link/ether {f.mac()} brd ff:ff:ff:ff:ff:ff", f"    inet {ip}/24 brd {ip.rsplit('.', 1)[0]}.255 scope global eth0",
                    f"    inet6 {ip6}/64 scope global"]
        elif s == "psql":
            url, pw, h = f.db_url()
            g.s(url, "secret", kind="connection-string", cores=default_cores(pw, "secret"))
            g.s(pw, "secret", kind="password"); g.s(h, "hostname")
            out += [prompt(f"psql '{url}'"), "psql (15.6)", "Type \"help\" for help.", "", "app=> \\q"]
        elif s == "docker":
            tok = f.provider_secret("dockerhub-pat")[2]
            reg = f.hostname(None, "registry")
            g.s(tok, "secret", kind="dockerhub-pat"); g.s(reg, "hostname")
            out += [prompt(f"docker login {reg} -u ci -p {tok}"), "WARNING! Using --password via the CLI is insecure.",
                    "Login Succeeded"]
        elif s == "dig":
            h, ip = f.hostname(), f.ipv4_private()
            g.s(h, "hostname"); g.s(ip, "ip")
            out += [prompt(f"dig +short {h}"), ip]
        elif s == "cat":
            pw = f.password()
            h = f.hostname(None, "db-prod")
            g.s(pw, "secret", kind="password"); g.s(h, "hostname")
            out += [prompt("cat ~/.pgpass"), f"{h}:5432:app:app:{pw}"]
    out.append(prompt(""))
    for c in ["Last login", "known hosts", "Login Succeeded", "Type \"help\" for help."]:
        if any(c in line for line in out):
            g.c(c if c != "known hosts" else "to the list of known hosts")
    title = r.choice([f"{user}@{shown}: ~", "Terminal", "bash"])
    return "\n".join(out), g, title
