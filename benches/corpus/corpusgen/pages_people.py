"""Page templates about people and money: HR and CRM records, webmail lists and messages, chat,
invoices and payments, calendars with attendees, contact cards."""

from .pagekit import page, CITIES, WORDS, card, esc, kv, table

NAV_PEOPLE = ["Home", "People", "Reports", "Settings"]


def _page(ctx, title, service, path, body, brand, nav=NAV_PEOPLE):
    return page(ctx, title, service, path, body, brand, nav)


def hr_record(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    p = f.person()
    mgr = f.person()
    pairs = [(g.c("Full name"), g.s(p["full"], "name-in-record")), (g.c("Employee ID"), esc(f"E-{r.randint(10000, 99999)}")),
             (g.c(r.choice(["SSN", "Social Security Number", "Tax ID (SSN)"])), g.s(f.ssn(), "ssn")),
             (g.c("Work e-mail"), g.s(ctx.email(p), "email")), (g.c("Mobile"), g.s(f.phone(), "phone")),
             (g.c("Home phone"), g.s(f.phone(), "phone")), (g.c("Office"), g.c(r.choice(CITIES))),
             (g.c("Manager"), g.s(mgr["full"], "name-in-record")),
             (g.c("Salary account"), g.s(f.iban(), "iban")), (g.c("Start date"), g.c(ctx.date())),
             (g.c("Department"), g.c(r.choice(["Finance", "Engineering", "Sales", "Legal", "Facilities"])))]
    if r.random() < 0.5:
        pairs.append((g.c("Emergency contact"), f"{g.s(f.person()['full'], 'name-in-record')}, {g.s(f.phone(), 'phone')}"))
    deps = ""
    if r.random() < 0.6:
        rows = [[g.s(f.person(p["culture"])["first"] + " " + p["last"], "name-in-record"),
                 g.c(r.choice(["Spouse", "Child", "Partner", "Dependent"])), g.s(f.ssn(), "ssn")] for _ in range(r.randint(1, 3))]
        deps = card(g.c("Benefits: covered dependents"), table([g.c("Name"), g.c("Relationship"), g.c("SSN")], rows))
    body = (f"<h1>{g.c('Employee record')}</h1>" + card(g.c("Personal details"), kv(pairs)) + deps
            + f"<p class='muted'>{g.c(ctx.sentence())}</p>")
    return _page(ctx, "Employee record - HR", r.choice(["hr", "payroll", "people", "workday"]), f"/employees/{r.randint(1000, 9999)}",
                 body, r.choice(["People Portal", "HR", "Payroll"]))


def crm_contacts(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    rows = []
    for _ in range(ctx.rows):
        p = f.person()
        rows.append([g.s(p["full"], "name-in-record"), esc(f.company().title() + r.choice([" Ltd", " GmbH", " Inc.", " SA", ""])),
                     g.s(f.email(p), "email"), g.s(f.phone(), "phone"), g.c(r.choice(CITIES)), g.c(ctx.price())])
    body = (f"<h1>{g.c('Contacts')}</h1><p><span class='btn'>{g.c('New contact')}</span> <span class='muted'>"
            f"{g.c(str(r.randint(200, 9000)) + ' contacts')}</span></p>"
            + table([g.c("Name"), g.c("Account"), g.c("Email"), g.c("Phone"), g.c("City"), g.c("Open deals")], rows))
    return _page(ctx, "Contacts - CRM", r.choice(["crm", "sales", "salesforce"]), "/contacts/list", body,
                 r.choice(["CRM", "Sales Hub", "Accounts"]), ["Contacts", "Accounts", "Deals", "Forecast"])


def webmail_list(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    rows = []
    for _ in range(ctx.rows):
        p = f.person()
        who = (f"{g.s(p['full'], 'name')} &lt;{g.s(ctx.email(p), 'email')}&gt;" if r.random() < 0.4 else g.s(p["full"], "name"))
        rows.append([who, g.c(r.choice(WORDS).capitalize()) + f" <span class='muted'>{g.c(ctx.sentence()[:38])}</span>", g.c(ctx.time())])
    body = (f"<h1>{g.c('Inbox')}</h1>" + table([g.c("From"), g.c("Subject"), g.c("Received")], rows))
    return _page(ctx, "Inbox - Mail", r.choice(["mail", "owa", "webmail"]), "/mail/inbox", body,
                 r.choice(["Mail", "Outlook Web", "Webmail"]), ["Inbox", "Sent", "Drafts", "Archive", "Junk"])


def webmail_message(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    sender = f.person()
    to = [f.person() for _ in range(r.randint(1, 3))]
    cc = [f.person() for _ in range(r.randint(0, 3))]

    def addr(p):
        return f"{g.s(p['full'], 'name')} &lt;{g.s(ctx.email(p), 'email')}&gt;"
    heads = [(g.c("From"), addr(sender)), (g.c("To"), ", ".join(addr(p) for p in to))]
    if cc:
        heads.append((g.c("Cc"), ", ".join(addr(p) for p in cc)))
    heads.append((g.c("Date"), g.c(ctx.date())))
    subject = r.choice(WORDS).capitalize()
    extra = r.choice([
        lambda: f"<p>{g.c('The temporary password is')} <b>{g.secret(f.password(), 'password')}</b></p>",
        lambda: f"<p>{g.c('The report is at')} {g.url(f.url(ctx.host(), with_token=False))}</p>",
        lambda: f"<p>{g.c('Please wire the deposit to')} {g.s(f.iban(), 'iban')}.</p>",
        lambda: f"<p>{g.c('Use this key for the test account:')} {g.secret(*reversed(f.provider_secret()[::2]))}</p>",
    ])()
    sig = (f"<p>-- <br>{g.s(sender['full'], 'name')}<br>{g.c(r.choice(['Senior Accountant', 'Site Reliability Engineer', 'Head of People', 'Account Executive']))}"
           f"<br>{g.s(f.phone(), 'phone')}<br>{g.s(ctx.email(sender), 'email')}</p>")
    body = (f"<h1>{g.c(subject)}</h1>" + kv(heads) + "<hr>" + "".join(f"<p>{s}</p>" for s in ctx.control_sentences(2))
            + extra + sig)
    return _page(ctx, f"{subject} - Mail", r.choice(["mail", "owa", "webmail"]), f"/mail/message/{r.randint(10000, 99999)}", body,
                 r.choice(["Mail", "Outlook Web", "Webmail"]), ["Inbox", "Sent", "Drafts", "Archive"])


def chat(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    people = [f.person() for _ in range(r.randint(3, 6))]
    msgs = []
    for _ in range(max(4, ctx.rows // 2 + 2)):
        p = r.choice(people)
        k = r.random()
        if k < 0.15:
            text = f"{g.c('here is the staging key')} {g.secret(*reversed(f.provider_secret()[::2]))}"
        elif k < 0.27:
            text = f"{g.c('can someone check')} {g.s(ctx.host(), 'hostname')}? {g.c('it is slow again')}"
        elif k < 0.37:
            text = f"{g.c('the box is at')} {g.s(ctx.ip(), 'ip')}"
        elif k < 0.45:
            text = f"{g.c('ping me at')} {g.s(ctx.email(p), 'email')} {g.c('or')} {g.s(f.phone(), 'phone')}"
        elif k < 0.52:
            text = f"{g.c('password for the shared account is')} {g.secret(f.password(), 'password')}"
        elif k < 0.58:
            text = f"{g.c('dashboard:')} {g.url(f.url(ctx.host(), with_token=False))}"
        else:
            text = g.c(ctx.sentence())
        msgs.append(f"<div class='msg'><span class='who'>{g.s(p['full'], 'name')}</span> <span class='muted'>{esc(ctx.time())}</span>"
                    f"<br>{text}</div>")
    roster = "".join(f"<div>{g.s(p['full'], 'name')}</div>" for p in people)
    channel = r.choice(["#ops", "#payments-oncall", "#platform", "#release", "#help-it"])
    body = (f"<h1>{g.c(channel)}</h1><div class='wrap'><div style='flex:1'>{''.join(msgs)}</div>"
            f"<div class='card' style='margin-left:16px'><b>{g.c('Members')}</b>{roster}</div></div>")
    return _page(ctx, f"{channel} - Chat", r.choice(["chat", "mattermost", "rocket"]), f"/team/channels/{channel[1:]}", body,
                 r.choice(["Chat", "Mattermost", "Rocket"]), ["Channels", "Direct messages", "Threads"])


def invoice(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    p = f.person()
    lines = []
    total = 0.0
    for _ in range(r.randint(3, 6)):
        v = r.randint(20, 4000) + 0.5
        total += v
        lines.append([g.c(r.choice(["Consulting hours", "Support plan", "Hardware lease", "Licence renewal", "Travel"])),
                      g.c(str(r.randint(1, 40))), g.c(f"${v:,.2f}")])
    card_no = f.card()
    pairs = [(g.c("Bill to"), g.s(p["full"], "name-in-record")), (g.c("E-mail"), g.s(f.email(p), "email")),
             (g.c("Phone"), g.s(f.phone(), "phone")), (g.c("Card"), g.s(card_no, "card")),
             (g.c("Cardholder"), g.s(p["full"].upper() if r.random() < 0.4 else p["full"], "name-in-record")),
             (g.c("Pay by transfer to"), g.s(f.iban(), "iban")), (g.c("Invoice"), g.c(f"INV-{r.randint(10000, 99999)}")),
             (g.c("Due"), g.c(ctx.date()))]
    masked = f"•••• •••• •••• {r.randint(1000, 9999)}"
    body = (f"<h1>{g.c('Invoice')}</h1>" + card(g.c("Billing"), kv(pairs)) + table([g.c("Item"), g.c("Qty"), g.c("Amount")], lines)
            + f"<p><b>{g.c('Total')}: {g.c(f'${total:,.2f}')}</b> · {g.c('Previous card')} {esc(masked)}</p>")
    return _page(ctx, "Invoice - Billing", r.choice(["billing", "finance", "erp"]), f"/invoices/{r.randint(1000, 99999)}", body,
                 r.choice(["Billing", "Finance", "Accounts Receivable"]), ["Invoices", "Customers", "Payments", "Reports"])


def payments(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    rows = []
    for _ in range(ctx.rows):
        p = f.person()
        k = r.random()
        instrument = g.s(f.card(), "card") if k < 0.6 else g.s(f.iban(), "iban")
        rows.append([esc(ctx.date()), g.s(p["full"], "name-in-record"), instrument, g.c(ctx.price()),
                     g.c(r.choice(["Settled", "Pending", "Refunded", "Declined"]))])
    body = (f"<h1>{g.c('Payments')}</h1><p class='muted'>{g.c(ctx.sentence())}</p>"
            + table([g.c("Date"), g.c("Customer"), g.c("Card / account"), g.c("Amount"), g.c("Status")], rows))
    return _page(ctx, "Payments", r.choice(["payments", "checkout-admin", "billing"]), "/payments/recent", body,
                 r.choice(["Payments", "Merchant Admin"]), ["Payments", "Payouts", "Disputes", "Customers"])


def calendar(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    people = [f.person() for _ in range(r.randint(3, 8))]
    org = people[0]
    att = "".join(f"<div>{g.s(p['full'], 'name')} <span class='muted'>&lt;{g.s(ctx.email(p), 'email')}&gt;</span></div>"
                  if r.random() < 0.5 else f"<div>{g.s(p['full'], 'name')}</div>" for p in people)
    pwd = f.session_id(r.choice([10, 12, 16]), "alnum")
    link = f"https://{ctx.host('meet')}/j/{r.randint(10 ** 9, 10 ** 10 - 1)}?pwd={pwd}"
    dial = f.phone()
    body = (f"<h1>{g.c(r.choice(WORDS).capitalize())}</h1>"
            + kv([(g.c("When"), g.c(f"{ctx.date()} {ctx.time()}")), (g.c("Room"), g.c(r.choice(['Atlas', 'Orion', 'Fjord', 'Kestrel']) + ' (4th floor)')),
                  (g.c("Organizer"), g.s(org["full"], "name")), (g.c("Join"), g.url(link, token=pwd)),
                  (g.c("Dial-in"), g.s(dial, "phone"))])
            + card(g.c("Attendees"), att) + f"<p>{g.c(ctx.sentence())}</p>")
    return _page(ctx, "Event details - Calendar", r.choice(["calendar", "mail", "groupware"]), f"/calendar/event/{r.randint(1000, 99999)}",
                 body, r.choice(["Calendar", "Groupware"]), ["Day", "Week", "Month", "Rooms"])


def contact_card(ctx):
    g, r, f = ctx.g, ctx.r, ctx.f
    cards = []
    for _ in range(r.randint(2, 4 if ctx.wide else 2)):
        p = f.person()
        cards.append(card(g.s(p["full"], "name-in-record"), kv([
            (g.c("Title"), g.c(r.choice(["Procurement Lead", "Solutions Architect", "Office Manager", "Controller"]))),
            (g.c("Mobile"), g.s(f.phone_intl() if r.random() < 0.6 else f.phone_us(), "phone")),
            (g.c("Work"), g.s(f.phone(), "phone")), (g.c("E-mail"), g.s(f.email(p), "email")),
            (g.c("City"), g.c(r.choice(CITIES)))])))
    body = f"<h1>{g.c('Address book')}</h1><div class='cards'>{''.join(cards)}</div>"
    return _page(ctx, "Address book", r.choice(["contacts", "directory", "phonebook"]), "/directory/people", body,
                 r.choice(["Directory", "Contacts"]), ["All contacts", "Favourites", "Groups"])


TEMPLATES = {"hr-record": hr_record, "crm-contacts": crm_contacts, "webmail-list": webmail_list,
             "webmail-message": webmail_message, "chat": chat, "invoice": invoice, "payments": payments,
             "calendar": calendar, "contact-card": contact_card}
