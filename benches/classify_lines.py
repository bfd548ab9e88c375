#!/usr/bin/env python3
"""Writes benches/classify_lines.txt: OCR-line-like text of the screens scrim reads (dashboards,
tables, mail, terminals, code, chat, prose), about one line in six holding a fake sensitive value.
All values are random fakes. `python3 benches/classify_lines.py` regenerates it (seeded)."""
import random, string, pathlib

r = random.Random(17)
A = string.ascii_letters + string.digits
def rs(n, alpha=A): return "".join(r.choice(alpha) for _ in range(n))
def hexs(n): return rs(n, "0123456789abcdef")
FIRST = ["Olga", "Chen", "Priya", "Dana", "Kenji", "Maria", "Tomasz", "Aisha", "Lucas", "Sofia", "Noah", "Hana"]
LAST = ["Whitfield", "Ferreira", "Brennan", "Okoye", "Vasquez", "Kowalski", "Nakamura", "Haddad", "Silva", "Moreau"]
def name(): return f"{r.choice(FIRST)} {r.choice(LAST)}"
def email(): return f"{r.choice(FIRST).lower()}.{r.choice(LAST).lower()}@corp.example"
def phone(): return f"({r.randint(201, 989)}) 555-01{r.randint(0, 99):02d}"
def host(): return f"{r.choice(['db', 'api', 'cache', 'ledger', 'git', 'vault'])}-prod-{r.randint(1, 40):02d}.{r.choice(['corp', 'ops.corp', 'pay.acme'])}.example"

PROSE = [
    "Escalate to the primary on-call before paging the database team.",
    "All systems operational except one degraded service.",
    "Totals are recalculated when the sheet is opened.",
    "The council voted seven to two on Tuesday evening to fund the project.",
    "Quarterly budget review moved to Thursday - See the attached agenda",
    "Please review the pull request before the release branch is cut.",
    "Keep your secret keys private and never share them in screenshots.",
    "Session will time out after twenty minutes of inactivity.",
    "We shipped the new onboarding flow to ten percent of users last week.",
    "Remember to rotate credentials after the incident review.",
]
UI = ["Dashboard", "Settings", "Sign out", "Sales Report", "New York", "Due Date", "Pull Request",
      "Open in new tab", "Inbox (42)", "Search mail", "Compose", "Starred", "Filters", "Export CSV",
      "Last updated 5 minutes ago", "Page 3 of 17", "Show 25 entries", "Status: Healthy", "Requests / min 48,213",
      "99.7%", "$8,510.00", "Start date 2019-03-04", "09:41", "Version 1.2.3 released", "File Edit View Help"]

def table_row():
    return "  ".join([f"INV-{r.randint(2019, 2025)}-{r.randint(1, 9999):04d}", r.choice(["Paid", "Open", "Overdue"]),
                      f"${r.randint(10, 99999):,}.{r.randint(0, 99):02d}", f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"])
def log_line():
    lvl = r.choice(["INFO", "WARN", "DEBUG", "ERROR"])
    return (f"2024-03-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z {lvl} "
            f"{r.choice(['GET', 'POST'])} /api/v1/{r.choice(['orders', 'users', 'invoices'])}/{r.randint(1, 99999)} "
            f"{r.choice([200, 201, 404, 500])} {r.randint(1, 900)}ms")
def code_line():
    return r.choice([
        "const config = require('./config');",
        "for (let i = 0; i < items.length; i++) {",
        "def handle_request(self, request, *args, **kwargs):",
        "    return render(request, 'index.html', context)",
        "import { useState, useEffect } from 'react';",
        "DEBUG = os.environ.get(\"DEBUG\", \"false\") == \"true\"",
        "fn main() -> Result<(), Box<dyn Error>> {",
        "    let mut buf = Vec::with_capacity(4096);",
        "WEBHOOK_RETRIES = 3",
    ])
def term_line():
    return r.choice([
        f"drwxr-xr-x  2 root root 4096 Mar  {r.randint(1, 28)} 10:11 etc",
        "Cloning into deploy... done.",
        f"64 bytes from 10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}: icmp_seq=1 ttl=64 time=0.{r.randint(10, 99)} ms",
        "Build finished successfully in 42 seconds",
        f"commit {hexs(40)}",
        "lo UNKNOWN 127.0.0.1/8",
        f"$ kubectl get pods -n {r.choice(['billing', 'payments', 'search'])}",
        f"pod/api-{hexs(10)}-{rs(5).lower()}   1/1   Running   0   {r.randint(1, 59)}m",
    ])
def sensitive():
    return r.choice([
        lambda: f"export AWS_ACCESS_KEY_ID=AKIA{rs(16, string.ascii_uppercase + '234567')}",
        lambda: f"export AWS_SECRET_ACCESS_KEY={rs(40, A + '/+')}",
        lambda: f"GITHUB_TOKEN=ghp_{rs(36)}",
        lambda: f"STRIPE_API_KEY = \"sk_live_{rs(24)}\"",
        lambda: f"SLACK_BOT_TOKEN=xoxb-{r.randint(10**10, 10**11)}-{r.randint(10**11, 10**12)}-{rs(24)}",
        lambda: f"{name()},{email()},{phone()},{r.randint(100, 899)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}",
        lambda: f"From: {name()} <{email()}>",
        lambda: f"Cardholder: {name()}",
        lambda: f"Card 4242 4242 4242 4242  exp 0{r.randint(1, 9)}/2{r.randint(6, 9)}",
        lambda: f"ssh deploy@10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)} 'systemctl restart api'",
        lambda: f"https://{host()}/d/overview?org=3&session={hexs(32)}",
        lambda: f"DATABASE_URL=postgresql://svc:{rs(12)}@{host()}:5432/billing",
        lambda: f"Reach me on my cell at {phone()}",
        lambda: f"mysql -h {host()} -u admin -p{rs(10)}!",
        lambda: f"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI{rs(8)}J9.{rs(43)}",
        lambda: f"IBAN GB82 WEST 1234 5698 7654 32",
    ])()

lines = []
for _ in range(600):
    k = r.random()
    if k < 0.16: lines.append(sensitive())
    elif k < 0.32: lines.append(r.choice(PROSE))
    elif k < 0.50: lines.append(r.choice(UI))
    elif k < 0.62: lines.append(table_row())
    elif k < 0.74: lines.append(log_line())
    elif k < 0.87: lines.append(code_line())
    else: lines.append(term_line())
out = pathlib.Path(__file__).with_name("classify_lines.txt")
out.write_text("\n".join(lines) + "\n")
print(f"wrote {len(lines)} lines to {out}")
