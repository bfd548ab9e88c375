"""Random fake values in real formats, one generator per category, all drawn from one seeded
random.Random so a corpus is reproducible. Checksums are real (Luhn for cards, ISO 13616 mod-97
for IBANs, libphonenumber validity for international phones), so a detector that checks them
sees valid values; nothing here belongs to anyone."""

import base64
import re
import json
import string

import phonenumbers

from . import secretfmt
from .names import culture_lists

COMPANIES = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay", "cyberdyne", "tyrell",
             "soylent", "wonka", "oscorp", "stark", "wayne", "massive", "nakatomi", "gringotts",
             "pied-piper", "aperture", "blackmesa", "monarch", "dunder", "prestige", "sterling",
             "vehement", "ollivander", "kwik-e", "oceanic", "virtucon", "zorg", "contoso", "fabrikam",
             "northwind", "tailspin", "wingtip", "adatum", "litware", "proseware", "lucerne"]
COMPANY_TLDS = ["com", "io", "net", "co.uk", "de", "fr", "com.au", "co.jp", "nl", "ch", "in", "es"]
INTERNAL_SUFFIXES = ["corp", "internal", "lan", "intra", "local", "corp.example", "internal.example",
                     "intra.example", "home.arpa", "test", "priv", "ad"]
SERVICES = ["payroll", "billing", "hr", "wiki", "jira", "confluence", "grafana", "kibana", "jenkins",
            "gitlab", "vault", "consul", "nexus", "artifactory", "sonar", "argocd", "rancher", "portal",
            "intranet", "crm", "erp", "sap", "ldap", "sso", "auth", "idp", "mail", "owa", "vpn", "bastion",
            "jump", "db-prod", "db-replica", "pg-main", "mysql-03", "redis-cache", "kafka", "rabbitmq",
            "elastic", "prometheus", "alertmanager", "k8s-api", "registry", "builds", "ci", "deploy",
            "backup", "files", "nas", "print", "helpdesk", "servicedesk", "timesheets", "expenses",
            "finance", "ledger", "treasury", "payments", "checkout-api", "orders", "inventory", "warehouse",
            "analytics", "metabase", "superset", "airflow", "notebooks", "mlflow", "staging", "uat", "qa"]
ENVS = ["prod", "stg", "dev", "eu1", "us-east", "ams", "fra", "lon", "sgp", "dc2", "rack4"]
PUBLIC_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "web.de", "gmx.de",
               "orange.fr", "libero.it", "yahoo.co.jp", "naver.com", "rediffmail.com", "hotmail.co.uk",
               "mail.ru", "seznam.cz", "fastmail.com"]
ROLE_LOCALS = ["ops-alerts", "billing", "payroll", "it-helpdesk", "security", "noc", "finance.team",
               "hr-ops", "oncall", "sre", "devops", "accounts.payable", "talent", "legal"]

# ISO 13616 BBAN layouts: (country, [(kind, length)]) with kind n = digits, a = upper letters,
# c = upper letters or digits
IBAN_LAYOUTS = {
    "DE": [("n", 8), ("n", 10)], "GB": [("a", 4), ("n", 6), ("n", 8)], "FR": [("n", 5), ("n", 5), ("c", 11), ("n", 2)],
    "NL": [("a", 4), ("n", 10)], "ES": [("n", 4), ("n", 4), ("n", 2), ("n", 10)], "IT": [("a", 1), ("n", 5), ("n", 5), ("c", 12)],
    "CH": [("n", 5), ("c", 12)], "BE": [("n", 3), ("n", 7), ("n", 2)], "AT": [("n", 5), ("n", 11)],
    "PL": [("n", 8), ("n", 16)], "SE": [("n", 3), ("n", 17)], "IE": [("a", 4), ("n", 6), ("n", 8)],
    "PT": [("n", 4), ("n", 4), ("n", 11), ("n", 2)], "DK": [("n", 4), ("n", 10)], "NO": [("n", 4), ("n", 7)],
    "FI": [("n", 6), ("n", 8)], "CZ": [("n", 4), ("n", 6), ("n", 10)], "SA": [("n", 2), ("c", 18)],
}

# (brand, prefixes, length, grouping)
CARD_BRANDS = [
    ("visa", ["4"], 16, (4, 4, 4, 4)),
    ("mastercard", ["51", "52", "53", "54", "55", "2221", "2300", "2720"], 16, (4, 4, 4, 4)),
    ("amex", ["34", "37"], 15, (4, 6, 5)),
    ("discover", ["6011", "644", "65"], 16, (4, 4, 4, 4)),
    ("jcb", ["3528", "3541", "3589"], 16, (4, 4, 4, 4)),
    ("diners", ["36", "300", "305", "38"], 14, (4, 6, 4)),
    ("unionpay", ["62"], 16, (4, 4, 4, 4)),
    ("unionpay19", ["62"], 19, (4, 4, 4, 4, 3)),
    ("maestro", ["5018", "5020", "6304"], 16, (4, 4, 4, 4)),
]

# region, national-number shapes (digits drawn at random, kept only if libphonenumber says valid)
PHONE_REGIONS = {
    "GB": ["20794{D:5}", "1614960{D:3}", "7700900{D:3}", "1134960{D:3}"],
    "DE": ["30{D:8}", "89{D:7}", "151{D:8}", "40{D:8}", "69{D:8}"],
    "FR": ["1{D:8}", "6{D:8}", "4{D:8}", "7{D:8}"],
    "IN": ["9{D:9}", "8{D:9}", "22{D:8}", "80{D:8}"],
    "ES": ["6{D:8}", "91{D:7}"], "IT": ["06{D:8}", "3{D:9}"], "NL": ["20{D:7}", "6{D:8}"],
    "AU": ["2{D:8}", "4{D:8}"], "BR": ["119{D:8}", "21{D:8}"], "JP": ["3{D:8}", "90{D:8}"],
    "CH": ["44{D:7}", "79{D:7}"], "IE": ["1{D:7}", "87{D:7}"], "SG": ["8{D:7}", "6{D:7}"],
    "MX": ["55{D:8}"], "ZA": ["21{D:7}", "82{D:7}"], "PL": ["22{D:7}", "50{D:7}"],
}


class Fake:
    def __init__(self, rng):
        self.r = rng
        self.cultures = culture_lists()
        self._used = set()

    # ------------------------------------------------------------------ helpers
    def pick(self, seq):
        return self.r.choice(seq)

    def chars(self, alphabet, n):
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def unique(self, make, tries=50):
        """A value not produced before in this corpus run (so ground truth strings differ)."""
        for _ in range(tries):
            v = make()
            if v not in self._used:
                self._used.add(v)
                return v
        return v

    # ------------------------------------------------------------------ people
    def person(self, culture=None):
        culture = culture or self.pick(list(self.cultures))
        firsts, lasts = self.cultures[culture]
        first, last = self.pick(firsts), self.pick(lasts)
        return {"first": first, "last": last, "full": f"{first} {last}", "culture": culture}

    def name(self, p=None):
        p = p or self.person()
        style = self.r.random()
        if style < 0.75:
            return p["full"]
        if style < 0.9:
            return f"{p['last']}, {p['first']}"
        return f"{p['first'][0]}. {p['last']}"

    @staticmethod
    def ascii_fold(s):
        table = str.maketrans("áàâäãåçéèêëíìîïñóòôöõøúùûüýÿłśźżćńąęğışőűčřšžďťňľ",
                              "aaaaaaceeeeiiiinoooooouuuuyylszzcnaegisoucrszdtnl")
        s = s.lower().translate(table)
        return "".join(ch for ch in s if ch in string.ascii_lowercase + string.digits + "-")

    # ------------------------------------------------------------------ hosts, urls, mail
    def company(self):
        return self.pick(COMPANIES)

    def company_domain(self, company=None):
        return f"{company or self.company()}.{self.pick(COMPANY_TLDS)}"

    def internal_domain(self, company=None):
        c = company or self.company()
        k = self.r.random()
        if k < 0.45:
            return f"{c}.{self.pick(INTERNAL_SUFFIXES)}"
        if k < 0.6:
            return f"{self.pick(['corp', 'int', 'intra', 'ad', 'office'])}.{self.company_domain(c)}"
        if k < 0.75:
            return self.pick(INTERNAL_SUFFIXES)
        return self.company_domain(c)

    def hostname(self, domain=None, service=None):
        def make():
            svc = service or self.pick(SERVICES)
            s = self.r.random()
            if s < 0.3:
                svc = f"{svc}-{self.r.randint(1, 40):02d}"
            elif s < 0.5:
                svc = f"{svc}.{self.pick(ENVS)}"
            elif s < 0.6:
                svc = f"{svc}{self.r.randint(1, 9)}"
            return f"{svc}.{domain or self.internal_domain()}"
        return self.unique(make)

    def short_host(self):
        """A bare intranet host as people type it: jenkins, wiki:8080, db-prod-04."""
        h = self.pick(SERVICES)
        if self.r.random() < 0.4:
            h += f"-{self.r.randint(1, 30):02d}"
        return h

    def k8s_host(self):
        return f"{self.pick(SERVICES)}.{self.pick(['default', 'payments', 'platform', 'data', 'monitoring'])}.svc.cluster.local"

    def email(self, p=None, domain=None):
        def make():
            person = p or self.person()
            f, l = self.ascii_fold(person["first"]), self.ascii_fold(person["last"].replace(" ", ""))
            shape = self.r.random()
            if shape < 0.4:
                local = f"{f}.{l}"
            elif shape < 0.55:
                local = f"{f[0]}{l}"
            elif shape < 0.65:
                local = f"{f}_{l}"
            elif shape < 0.72:
                local = f"{f}.{l}{self.r.randint(1, 99)}"
            elif shape < 0.8:
                local = f"{f}+{self.pick(['billing', 'jira', 'test', 'news', 'ci'])}"
            elif shape < 0.88 and p is None:
                local = self.pick(ROLE_LOCALS)
            else:
                local = f"{l}.{f[0]}"
            d = domain
            if d is None:
                k = self.r.random()
                d = self.pick(PUBLIC_MAIL) if k < 0.2 else (self.internal_domain() if k < 0.5 else self.company_domain())
            return f"{local}@{d}"
        return self.unique(make)

    def url(self, host=None, with_token=False):
        host = host or self.hostname()
        scheme = "https" if self.r.random() < 0.6 else "http"
        port = f":{self.pick([8080, 8443, 3000, 9090, 5601, 8000, 15672])}" if self.r.random() < 0.2 else ""
        seg = self.pick(["employees", "invoices", "tickets", "api/v2/accounts", "admin/users", "reports",
                         "dashboards/db", "projects", "job/deploy-prod", "wiki/spaces/OPS", "orders", "customers"])
        path = f"/{seg}/{self.r.randint(100, 99999)}"
        q = ""
        if with_token:
            q = f"?{self.pick(['token', 'session', 'sid', 'auth', 'key', 'access_token'])}={self.session_id()}"
        return f"{scheme}://{host}{port}{path}{q}"

    # ------------------------------------------------------------------ network
    def ipv4_private(self):
        k = self.r.random()
        if k < 0.45:
            return f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        if k < 0.75:
            return f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        return f"172.{self.r.randint(16, 31)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"

    def ipv4_public(self):
        while True:
            a = self.r.randint(1, 223)
            if a in (10, 127, 169, 172, 192, 100, 198, 203, 0):
                continue
            return f"{a}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"

    def ipv4(self):
        return self.unique(lambda: self.ipv4_private() if self.r.random() < 0.7 else self.ipv4_public())

    def ipv6(self):
        def make():
            groups = [f"{self.r.randint(0, 0xffff):x}" for _ in range(8)]
            k = self.r.random()
            if k < 0.3:
                groups[0] = self.pick(["fd12", "fd3a", "fdc4", "fd00"])
                return ":".join(groups[:4]) + "::" + groups[7]
            if k < 0.5:
                return "fe80::" + ":".join(groups[4:])
            groups[0] = self.pick(["2a01", "2a02", "2a03", "2600", "2604", "2406", "2c0f"])
            if k < 0.75:
                return ":".join(groups)
            return ":".join(groups[:3]) + "::" + ":".join(groups[6:])
        return self.unique(make)

    def mac(self):
        return ":".join(f"{self.r.randint(0, 255):02x}" for _ in range(6))

    # ------------------------------------------------------------------ personal numbers
    def phone_us(self):
        def make():
            area = self.r.choice([x for x in range(201, 990) if x % 100 != 11 and x // 100 != 1])
            line = f"01{self.r.randint(0, 99):02d}"
            f = self.r.random()
            if f < 0.3:
                return f"({area}) 555-{line}"
            if f < 0.5:
                return f"{area}-555-{line}"
            if f < 0.6:
                return f"{area}.555.{line}"
            if f < 0.75:
                return f"+1 {area} 555 {line}"
            if f < 0.85:
                return f"+1-{area}-555-{line}"
            if f < 0.92:
                return f"+1 ({area}) 555-{line}"
            return f"{area} 555 {line}"
        return self.unique(make)

    def phone_intl(self, region=None):
        region = region or self.pick(list(PHONE_REGIONS))
        for _ in range(200):
            national = secretfmt.render(self.pick(PHONE_REGIONS[region]), self.r)
            try:
                n = phonenumbers.parse(national, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(n):
                fmt = self.pick([phonenumbers.PhoneNumberFormat.INTERNATIONAL] * 3
                                + [phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.E164])
                v = phonenumbers.format_number(n, fmt)
                if v not in self._used:
                    self._used.add(v)
                    return v
        raise RuntimeError(f"no valid {region} number drawn")

    def phone(self):
        return self.phone_us() if self.r.random() < 0.55 else self.phone_intl()

    def ssn(self):
        def make():
            area = self.r.choice([x for x in range(1, 900) if x != 666])
            s = f"{area:03d}-{self.r.randint(1, 99):02d}-{self.r.randint(1, 9999):04d}"
            return s if self.r.random() < 0.85 else s.replace("-", " ")
        return self.unique(make)

    @staticmethod
    def luhn_complete(digits):
        total = 0
        for i, d in enumerate(reversed(digits)):
            n = int(d)
            if i % 2 == 0:
                n *= 2
                if n > 9:
                    n -= 9
            total += n
        return digits + str((10 - total % 10) % 10)

    def card(self, brand=None):
        def make():
            b = [x for x in CARD_BRANDS if x[0] == brand][0] if brand else self.pick(CARD_BRANDS)
            _, prefixes, length, groups = b
            body = self.pick(prefixes)
            body += "".join(self.pick(string.digits) for _ in range(length - 1 - len(body)))
            num = self.luhn_complete(body)
            sep = self.pick([" ", " ", " ", "-", ""])
            parts, i = [], 0
            for g in groups:
                parts.append(num[i:i + g])
                i += g
            return sep.join(parts)
        return self.unique(make)

    def iban(self, country=None):
        def make():
            cc = country or self.pick(list(IBAN_LAYOUTS))
            bban = ""
            for kind, n in IBAN_LAYOUTS[cc]:
                alpha = {"n": string.digits, "a": string.ascii_uppercase,
                         "c": string.ascii_uppercase + string.digits}[kind]
                bban += self.chars(alpha, n)
            rearranged = bban + cc + "00"
            num = int("".join(str(int(ch, 36)) for ch in rearranged))
            iban = f"{cc}{98 - num % 97:02d}{bban}"
            if self.r.random() < 0.7:
                return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
            return iban
        return self.unique(make)

    # ------------------------------------------------------------------ secrets
    def provider_secret(self, fid=None):
        """(format id, label, value) of a provider key."""
        fmt = [f for f in secretfmt.FORMATS if f[0] == fid][0] if fid else self.pick(secretfmt.FORMATS)
        fid, labels, shape = fmt
        value = self.jwt() if shape == "JWT" else self.unique(lambda: secretfmt.render(shape, self.r))
        return fid, self.pick(labels), value

    def _b64url(self, raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def jwt(self):
        header = {"alg": self.pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
        if self.r.random() < 0.4:
            header["kid"] = self.chars("0123456789abcdef", 16)
        p = self.person()
        payload = {"sub": str(self.r.randint(10000, 999999)), "name": p["full"],
                   "role": self.pick(["admin", "user", "service", "billing"]),
                   "iat": self.r.randint(1700000000, 1790000000)}
        if self.r.random() < 0.5:
            payload["iss"] = f"https://{self.hostname(service='sso')}"
        sig = self.chars(string.ascii_letters + string.digits + "-_", self.pick([43, 86]))
        h = self._b64url(json.dumps(header, separators=(",", ":")).encode())
        b = self._b64url(json.dumps(payload, separators=(",", ":")).encode())
        return f"{h}.{b}.{sig}"

    def pem_lines(self, n=6):
        kind = self.pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
        body = [self.chars(string.ascii_letters + string.digits + "+/", 64) for _ in range(n)]
        if kind == "OPENSSH PRIVATE KEY":
            body[0] = "b3BlbnNzaC1rZXktdjEAAAAA" + body[0][24:]
        elif kind == "RSA PRIVATE KEY":
            body[0] = "MIIEow" + body[0][6:]
        return kind, body

    def password(self):
        def make():
            k = self.r.random()
            if k < 0.3:
                w = self.pick(["Summer", "Winter", "Falcon", "Harbor", "Copper", "Tundra", "Velvet", "Orbit"])
                return f"{w}{self.r.randint(1990, 2031)}{self.pick('!#$%&*?@')}"
            if k < 0.5:
                words = [self.pick(["correct", "horse", "battery", "staple", "maple", "river", "cobalt", "ember",
                                    "lantern", "quartz", "meadow", "pickle", "rocket", "walrus"]) for _ in range(3)]
                return self.pick(["-", "_", "."]).join(words) + str(self.r.randint(1, 99))
            n = self.r.randint(10, 22)
            alpha = string.ascii_letters + string.digits + "!#$%&*?@^~-_+="
            s = [self.pick(string.ascii_uppercase), self.pick(string.ascii_lowercase),
                 self.pick(string.digits), self.pick("!#$%&*?@")] + [self.pick(alpha) for _ in range(n - 4)]
            self.r.shuffle(s)
            return "".join(s)
        return self.unique(make)

    def session_id(self, n=None, style=None):
        """Random session ids: hex, base64ish, or hex whose digits repeat (few distinct digits:
        exactly what an entropy threshold misses)."""
        def make():
            k = style or self.pick(["hex", "hex", "b64", "lowent", "upperhex", "alnum"])
            m = n or self.r.randint(16, 40)
            if k == "hex":
                return self.chars("0123456789abcdef", m)
            if k == "upperhex":
                return self.chars("0123456789ABCDEF", m)
            if k == "b64":
                return self.chars(string.ascii_letters + string.digits + "-_", m)
            if k == "alnum":
                return self.chars(string.ascii_lowercase + string.digits, m)
            alphabet = self.r.sample("0123456789abcdef", self.r.randint(3, 6))
            return "".join(self.pick(alphabet) for _ in range(m))
        return self.unique(make)

    def uuid(self):
        h = self.chars("0123456789abcdef", 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.pick('89ab')}{h[17:20]}-{h[20:]}"

    def db_url(self, host=None):
        """(connection string, password, host) of a database or broker URL with a password."""
        scheme, port = self.pick([("postgres", 5432), ("postgresql", 5432), ("mysql", 3306), ("mongodb", 27017),
                                  ("redis", 6379), ("amqp", 5672), ("mssql", 1433), ("mongodb+srv", None)])
        user = self.pick(["app", "svc_billing", "admin", "reporter", "etl", "root", "api", "django"])
        pw = re.sub(r"[@#?/%:]", "", self.password())
        host = host or self.hostname(service=self.pick(["db-prod", "pg-main", "mysql-03", "redis-cache", "kafka",
                                                        "mongo", "rabbitmq", "db-replica"]))
        p = f":{port}" if port else ""
        db = self.pick(["app", "billing", "prod", "orders", "0", "analytics", "hr"])
        return f"{scheme}://{user}:{pw}@{host}{p}/{db}", pw, host
