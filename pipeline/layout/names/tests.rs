use super::super::fake::{covered, line};
use super::*;
use crate::classify::{Classifier, ClassifierConfig};

fn run(lines: &[TextLine], scope: NameScope) -> Vec<String> {
    let c = Classifier::new(ClassifierConfig::default());
    let findings: Vec<Vec<Finding>> = lines.iter().map(|l| c.classify(&l.text)).collect();
    let cols = table::columns(lines);
    let mut got: Vec<String> = covered(lines, &names(lines, &findings, &cols, scope))
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    got.sort();
    got.dedup();
    got
}

/// One cell per row, stacked in a column.
fn column(cells: &[&str]) -> Vec<TextLine> {
    cells
        .iter()
        .enumerate()
        .map(|(k, t)| line(10, 10 + 30 * k as u32, 200, 20, t))
        .collect()
}

#[test]
fn names_beside_their_address_and_in_headers() {
    let lines = vec![
        line(10, 10, 600, 20, "From: Dana Whitfield <dana.whitfield@corp.example>"),
        line(10, 40, 600, 20, "To: Chen Ferreira, Li Wei; Tomasz Brennan"),
        line(10, 160, 600, 20, "Owner: Talia Friedman · 16 Jun 2023"),
        line(10, 70, 600, 20, "Sent Items"),
        line(10, 100, 600, 20, "Priya Raman - priya.raman@corp.example"),
        line(10, 130, 600, 20, "Subject: Quarterly Budget Review"),
    ];
    assert_eq!(
        run(&lines, NameScope::Records),
        vec![
            "Chen Ferreira",
            "Dana Whitfield",
            "Li Wei",
            "Priya Raman",
            "Talia Friedman",
            "Tomasz Brennan"
        ]
    );
}

#[test]
fn signatures_records_and_scope() {
    let lines = vec![
        line(10, 10, 300, 20, "Best regards,"),
        line(10, 40, 300, 20, "Olga Lindqvist"),
        line(10, 70, 300, 20, "Senior Engineer, Payroll"),
        line(10, 100, 300, 20, "+1 415 555 0134"),
        line(10, 300, 200, 20, "Kenji Tanaka"),
        line(400, 300, 300, 20, "kenji.tanaka@corp.example"),
        line(10, 330, 200, 20, "Active"),
        line(400, 330, 300, 20, "ops@corp.example"),
        line(10, 360, 200, 20, "Pending"),
        line(400, 360, 300, 20, "hr@corp.example"),
        line(10, 500, 300, 20, "Mateo Alvarez"),
        // an app's header: its name beside the signed-in user's address
        line(10, 560, 140, 20, "Corporate Mail"),
        line(170, 560, 300, 20, "maria.kowalski@corp.example"),
    ];
    assert_eq!(run(&lines, NameScope::Records), vec!["Kenji Tanaka", "Olga Lindqvist"]);
    // a terminal: a shell prompt holding an address under a status line is no signature
    let shell = vec![
        line(0, 145, 139, 16, "Login Succeeded"),
        line(
            0,
            162,
            599,
            19,
            "imogen@ops8.local:~$ ssh admin@consul-23.internal.example",
        ),
    ];
    assert_eq!(run(&shell, NameScope::Records), Vec::<String>::new());
    // everywhere: any phrase with a given name or surname, not an app's name
    assert_eq!(
        run(&lines, NameScope::Everywhere),
        vec!["Kenji Tanaka", "Mateo Alvarez", "Olga Lindqvist"]
    );
}

#[test]
fn a_label_and_its_name_on_one_line_and_ocr_digits_in_names() {
    let lines = vec![
        line(10, 10, 600, 20, "Organizer Daan de Boer"),
        line(10, 40, 600, 20, "To Kill a Mockingbird"),
        line(10, 70, 600, 20, "Contact Sales Team"),
        line(
            10,
            100,
            600,
            20,
            "203955d Esteban 0lmedo <esteban_olmedo@mail.ru> Bump deps",
        ),
    ];
    assert_eq!(run(&lines, NameScope::Records), vec!["Daan de Boer", "Esteban 0lmedo"]);
    assert_eq!(unconfuse("0lmedo"), "Olmedo");
    assert_eq!(unconfuse("Ade1e"), "Adele");
    assert_eq!(unconfuse("2024"), "2024");
    assert_eq!(unconfuse("A1"), "A1");
}

#[test]
fn an_initial_i_read_as_l_is_the_name_the_gazetteer_knows() {
    let mut w = vec!["Arjun".to_string(), "lyer".to_string()];
    capital_i(&mut w);
    assert_eq!(w, ["Arjun", "Iyer"]);
    let mut w = vec!["lrina".to_string(), "Fedorov".to_string(), "lemon".to_string()];
    capital_i(&mut w);
    // "lemon" is a word as it was read: it stays
    assert_eq!(w, ["Irina", "Fedorov", "lemon"]);
    let lines = vec![line(10, 10, 100, 20, "Full name"), line(10, 40, 200, 20, "Arjun lyer")];
    assert_eq!(run(&lines, NameScope::Records), vec!["Arjun lyer"]);
}

#[test]
fn a_mail_header_column_of_labels_heads_no_column_of_names() {
    // the labels of a message's header share its body's left edge down to the signature
    let lines = column(&[
        "Quarterly numbers",
        "From",
        "To",
        "Cc",
        "Date",
        "All services are operating normally.",
        "Océane Lefebvre",
        "Senior Accountant",
    ]);
    assert!(!run(&lines, NameScope::Records).contains(&"Senior Accountant".to_string()));
}

#[test]
fn a_column_of_people_holds_the_names_ocr_garbled() {
    let people = column(&[
        "Directory",
        "Name",
        "Derya Yilmaz",
        "Hano bayasht",
        "Laurent Fontaine",
        "Alexe CRoI",
        "shi Karimi",
        "Mateo Quiroga",
        "unXu",
        "Sent Items",
    ]);
    assert_eq!(
        run(&people, NameScope::Records),
        vec![
            "Alexe CRoI",
            "Derya Yilmaz",
            "Hano bayasht",
            "Laurent Fontaine",
            "Mateo Quiroga",
            "shi Karimi"
        ]
    );
    // one person in a column of words is no column of people
    let words = column(&[
        "Name",
        "Derya Yilmaz",
        "Hano bayasht",
        "Release notes",
        "Roadmap",
        "Budget",
    ]);
    assert_eq!(run(&words, NameScope::Records), vec!["Derya Yilmaz"]);
}

#[test]
fn the_last_record_of_a_table_of_people_is_a_person_though_garbled() {
    let rows = [
        ("Elodie Rousseau", "elodie.rousseau@wayne.com"),
        ("Fang Chen", "fang+ci@massive.com"),
        ("Lars Andersen", "lars@example.org"),
        ("Yekaterina yenova", "yekaterina.ivanova@kwik-e.io"),
    ];
    let mut lines = vec![line(30, 10, 100, 20, "Holder"), line(600, 10, 80, 20, "Contact")];
    for (k, (name, mail)) in rows.iter().enumerate() {
        let y = 40 + 25 * k as u32;
        lines.push(line(30, y, 120, 20, name));
        lines.push(line(600, y, 180, 20, mail));
    }
    // the sheet's tab under the table is no record
    lines.push(line(30, 160, 60, 20, "Cards"));
    let got = run(&lines, NameScope::Records);
    assert!(got.contains(&"Yekaterina yenova".to_string()), "{got:?}");
    assert!(
        !got.contains(&"Cards".to_string()) && !got.contains(&"Holder".to_string()),
        "{got:?}"
    );
}

#[test]
fn a_name_the_address_spells_needs_no_gazetteer() {
    let lines = vec![
        line(
            0,
            10,
            636,
            20,
            "f577073 Shirin Sadeghi <sadeghi.s@int.litware.com.au> Bump deps",
        ),
        line(
            0,
            40,
            800,
            20,
            "19189c7 Dimitris stavrou <dimitris.stavrou@northwind.com.au> Add retry",
        ),
        line(0, 70, 600, 20, "a1b2c3d Jira Software <jira@tracker.example> Digest"),
        line(0, 100, 600, 20, "Quarterly Digest <ops.team@corp.example>"),
    ];
    assert_eq!(
        run(&lines, NameScope::Records),
        vec!["Dimitris stavrou", "Shirin Sadeghi"]
    );
}

#[test]
fn contact_cards_headed_by_a_name() {
    // a card: the name over label and value cells, one of them contact details
    let lines = vec![
        line(300, 200, 150, 24, "Huy Hoang"),
        line(300, 240, 60, 18, "Title"),
        line(400, 240, 190, 18, "Procurement Lead"),
        line(300, 270, 70, 18, "Mobile"),
        line(400, 270, 150, 18, "+65 6597 6684"),
        line(300, 300, 70, 18, "City"),
        line(400, 300, 60, 18, "Lyon"),
    ];
    assert_eq!(run(&lines, NameScope::Records), vec!["Huy Hoang"]);
    // the same card without contact details: a product's name over its properties
    let product = vec![
        line(300, 200, 150, 24, "Grace Hopper"),
        line(300, 240, 60, 18, "Title"),
        line(400, 240, 190, 18, "Procurement Lead"),
        line(300, 270, 70, 18, "City"),
        line(400, 270, 60, 18, "Lyon"),
    ];
    assert!(run(&product, NameScope::Records).is_empty());
}

#[test]
fn a_card_whose_address_spells_a_name_the_gazetteer_lacks() {
    let card = |name: &str, address: &str| {
        vec![
            line(1480, 181, 64, 18, name),
            line(1480, 201, 26, 17, "Title"),
            line(1525, 201, 90, 18, "Office Manager"),
            line(1480, 258, 36, 17, "E-mail"),
            line(1525, 258, 123, 17, address),
        ]
    };
    for (name, address) in [
        ("Ori Peretz", "ori_peretz@cyberdyne.net"),
        ("Ori Peretz", "operetz@cyberdyne.net"),
        ("Zyxo Qwertine", "zyxo.qwertine@corp.example"),
        ("Zyxo Qwertine", "qwertine.z@corp.example"),
        // OCR lost the first capital
        ("zyxo Qwertine", "qwertine.z@corp.example"),
    ] {
        assert_eq!(run(&card(name, address), NameScope::Records), vec![name], "{address}");
    }
    // the address spells another name, or only a word of the line: not evidence
    for (name, address) in [
        ("Zyxo Qwertine", "help@corp.example"),
        ("Zyxo Qwertine", "qwertine@corp.example"),
    ] {
        assert!(run(&card(name, address), NameScope::Records).is_empty(), "{address}");
    }
}

#[test]
fn the_signed_in_user_in_an_application_bar() {
    let page = |user: &str, x: u32| {
        vec![
            line(20, 40, 300, 16, "Address book - Chromium"),
            line(20, 100, 110, 20, "Directory"),
            line(x, 100, 150, 20, user),
            line(290, 180, 260, 30, "Address book"),
            line(
                290,
                400,
                500,
                18,
                "Coffee machine on the third floor has been repaired.",
            ),
            line(20, 900, 1880, 18, "Showing 4 of 4 contacts"),
        ]
    };
    assert_eq!(
        run(&page("Arjun Krishnan", 1750), NameScope::Records),
        vec!["Arjun Krishnan"]
    );
    // a Korean name, romanised
    assert_eq!(run(&page("Ji-woo Yoon", 1750), NameScope::Records), vec!["Ji-woo Yoon"]);
    // OCR read a capital as its small letter of the same shape
    assert_eq!(
        run(&page("Esteban villanueva", 1750), NameScope::Records),
        vec!["Esteban villanueva"]
    );
    assert!(run(&page("Release status", 1750), NameScope::Records).is_empty());
    // an icon's speck OCR read as a letter right of the name
    let mut speck = page("Arjun Krishnan", 1750);
    speck.push(line(1920, 101, 6, 6, "A"));
    assert_eq!(run(&speck, NameScope::Records), vec!["Arjun Krishnan"]);
    // the bar's title read with the name: the title stays readable
    assert_eq!(trailing_name("Tracker Huy Nguyen").map(|f| f.start), Some(8));
    assert_eq!(trailing_name("Daan de Boer").map(|f| f.start), Some(0));
    assert!(trailing_name("Release Notes").is_none());
    // not at the right end of the bar, or not a person: readable
    assert!(run(&page("Arjun Krishnan", 600), NameScope::Records).is_empty());
    assert!(run(&page("Release Notes", 1750), NameScope::Records).is_empty());
    assert!(run(&page("Help Center", 1750), NameScope::Records).is_empty());
    // lower down the page a right-aligned name is no account
    let mut low = page("Directory", 20);
    low.push(line(1750, 700, 150, 20, "Arjun Krishnan"));
    assert!(run(&low, NameScope::Records).is_empty());
    // a short page: the bar is under the browser's rows, but not in the top quarter of the text
    let short = vec![
        line(108, 20, 120, 20, "Address book"),
        line(226, 84, 98, 20, "Not secure"),
        line(340, 84, 480, 20, "contacts.corp.example/book"),
        line(22, 146, 68, 20, "Contacts"),
        line(1252, 146, 94, 18, "Solène Moreau"),
        line(27, 208, 142, 26, "Address book"),
        line(46, 328, 28, 16, "Title"),
        line(113, 328, 95, 16, "Office Manager"),
        line(46, 454, 24, 16, "City"),
        line(113, 454, 45, 16, "Bergen"),
    ];
    assert_eq!(run(&short, NameScope::Records), vec!["Solène Moreau"]);
    // beside "Sign out", wherever the bar is
    let bar = vec![
        line(20, 500, 110, 20, "Payroll"),
        line(900, 500, 150, 20, "Omar Saleh"),
        line(1070, 500, 80, 20, "Sign out"),
        line(20, 20, 1880, 20, "Quarterly results are published on the intranet"),
        line(20, 980, 1880, 20, "Copyright 2024"),
    ];
    assert_eq!(run(&bar, NameScope::Records), vec!["Omar Saleh"]);
}

#[test]
fn a_header_over_the_one_row_on_screen_labels_the_cell_under_it() {
    let lines = vec![
        line(40, 899, 511, 39, "Benefits: covered dependents"),
        line(52, 962, 91, 35, "Name"),
        line(674, 958, 190, 42, "Relationship"),
        line(1290, 958, 73, 40, "SSN"),
        line(51, 1012, 169, 43, "Kito Achieng"),
        line(672, 1010, 160, 46, "Dependent"),
        line(1292, 1011, 173, 41, "154-26-3962"),
    ];
    assert_eq!(run(&lines, NameScope::Records), vec!["Kito Achieng"]);
    // a form: the label's value beside it, the next label under it
    let form = vec![
        line(40, 100, 80, 20, "Name"),
        line(200, 100, 160, 20, "Dana Whitfield"),
        line(40, 140, 80, 20, "Office"),
        line(200, 140, 160, 20, "Toronto"),
    ];
    assert_eq!(run(&form, NameScope::Records), vec!["Dana Whitfield"]);
}

#[test]
fn a_column_of_people_and_a_labelled_column() {
    let mut lines = vec![line(10, 10, 100, 20, "Assignee")];
    for (k, n) in ["Dana Whitfield", "Chen Ferreira", "Li Wei Zhang"].iter().enumerate() {
        lines.push(line(10, 40 + 30 * k as u32, 200, 20, n));
    }
    assert_eq!(
        run(&lines, NameScope::Records),
        vec!["Chen Ferreira", "Dana Whitfield", "Li Wei Zhang"]
    );
    // UI phrases shaped like names are not people
    let nav: Vec<TextLine> = ["Sent Items", "Deleted Items", "Pull Requests", "Team Calendar"]
        .iter()
        .enumerate()
        .map(|(k, t)| line(10, 40 + 30 * k as u32, 200, 20, t))
        .collect();
    assert!(run(&nav, NameScope::Everywhere).is_empty());
}

#[test]
fn an_inbox_column_mixes_names_with_and_without_their_address() {
    // most senders show an address, a few only a name: the column is one of people
    let cells = [
        "Adaeze Eze <adaeze.eze@aperture.example>",
        "Valentina Montoya",
        "Alessandro Bianchi <alessandro+ci@aperture.example>",
        "Yasaman Mohammadi <yasaman_m@aperture.example>",
        "Kostas Konstantinidis",
        "Xiaoling Wu <xiaoling.wu@aperture.example>",
        "Quillon Marbeck",
    ];
    let lines = column(&cells);
    let got = run(&lines, NameScope::Records);
    for n in [
        "Valentina Montoya",
        "Kostas Konstantinidis",
        "Quillon Marbeck",
        "Adaeze Eze",
        "Xiaoling Wu",
    ] {
        assert!(got.iter().any(|g| g == n), "{n} not covered: {got:?}");
    }
    // an inbox of subjects with one sender's address: no column of people
    let subjects = column(&[
        "Quarterly Budget",
        "Dana Whitfield <dana@corp.example>",
        "Access Denied",
        "Sent Items",
    ]);
    assert_eq!(run(&subjects, NameScope::Records), vec!["Dana Whitfield"]);
}

#[test]
fn a_column_of_people_holds_names_the_gazetteer_lacks() {
    // a header OCR misread, known names, and names of no list (or misread): all covered
    let cells = [
        "Emplovee",
        "Zorvan Thelquist",
        "Dana Whitfield",
        "Chen Ferreira",
        "Olga Lindqvist",
        "Priya Raman",
        "Tomasz Nowak",
        "Quillon Marbeck",
        "Maria Qarcia",
    ];
    let lines = column(&cells);
    assert_eq!(
        run(&lines, NameScope::Records),
        vec![
            "Chen Ferreira",
            "Dana Whitfield",
            "Maria Qarcia",
            "Olga Lindqvist",
            "Priya Raman",
            "Quillon Marbeck",
            "Tomasz Nowak",
            "Zorvan Thelquist"
        ]
    );
    // a column with only half of it names: the names the gazetteer knows, no more
    let mixed = [
        "Dana Whitfield",
        "Quarterly Budget",
        "Chen Ferreira",
        "Access Denied",
        "Olga Lindqvist",
        "Quillon Marbeck",
    ];
    let lines = column(&mixed);
    assert_eq!(
        run(&lines, NameScope::Records),
        vec!["Chen Ferreira", "Dana Whitfield", "Olga Lindqvist"]
    );
}

#[test]
fn the_gazetteer_tells_people_from_interface_phrases() {
    for name in [
        "Dana Whitfield",
        "Lotte de Boer",
        "Ahmad bin Yusof",
        "Ludwig van der Berg",
        "Mary-Jane O'Neil",
        "Anne-Sophie Lefèvre",
        "Jean-Luc Picard",
        "Łukasz Dąbrowski",
        "Nguyễn Văn An",
        "Grace Hopper",
        "Søren Kierkegaard,",
    ] {
        assert!(person(name), "{name}");
    }
    for phrase in [
        "Login Succeeded",
        "Corporate Mail",
        "Quarterly Budget",
        "Sent Items",
        "Sales Team",
        "Access Denied",
        "Build Passed",
        "Monday June",
        "Sign In",
        "de Boer",
        "Lotte de",
        "Dana",
        "Dana Whitfield Olga Lindqvist Chen",
    ] {
        assert!(!person(phrase), "{phrase}");
    }
    // a label says a person is meant: the shape is enough, known names or not
    assert!(labelled_person("Xanthe Quorrimby") && !person("Xanthe Quorrimby"));
    assert!(!labelled_person("Pull Requests"));
    // a card prints its holder in capitals
    assert!(labelled_person("ÉLODIE CHEVALIER") && labelled_person("LOTTE DE BOER"));
    assert!(!labelled_person("INV-79148") && !labelled_person("VISA"));
    let lines = vec![
        line(10, 10, 600, 20, "Owner: Zorvan Thelquist"),
        line(10, 40, 600, 20, "Login Succeeded <noreply@corp.example>"),
        line(10, 70, 600, 20, "Lotte de Boer <lotte@corp.example>"),
    ];
    assert_eq!(
        run(&lines, NameScope::Records),
        vec!["Lotte de Boer", "Zorvan Thelquist"]
    );
}

#[test]
fn a_name_ocr_split_in_two_is_one_name() {
    assert!(person("Guada lupe Bermúdez"));
    // a word of prose after a name stays a word
    assert!(!person("Dana went home"));
    assert!(!person("Mari posa"));
}
#[test]
fn a_garbled_sender_in_an_inbox_column_of_people() {
    // most senders found as the column's names, a few beside their address, one garbled
    let lines = column(&[
        "Inbox",
        "From",
        "Alejandro Ibáñez <alejandro.ibanez@globex.local>",
        "Riccardo Galli",
        "Yun Ma",
        "Friederike Falkenberg",
        "Baptiste Moreau",
        "Burak Kurt",
        "leria Conti",
        "Katerina Vlachos <katerina.vlachos@vandelay.example>",
        "Tariq Aziz",
    ]);
    let got = run(&lines, NameScope::Records);
    assert!(got.contains(&"leria Conti".to_string()), "{got:?}");
    assert!(!got.iter().any(|s| s == "Inbox" || s == "From"), "{got:?}");
}
