//! IP addresses: IPv4 (also with look-alike digits and OCR's space after a dot) and IPv6.
//! Private ranges are always findings; public ones when the policy says so.

use std::net::Ipv6Addr;

use super::{Category, Findings, Line, Recognizer};

// OCR may put a space on either side of a dot ("192.168 .163.216").
re!(
    IPV4,
    r"\d{1,3}(?: ?\. ?|,)\d{1,3}(?: ?\. ?|,)\d{1,3}(?: ?\. ?|,)\d{1,3}"
);
// Three octets ending the text: an address cut off by the edge of a window or a narrow column.
re!(IPV4_CUT, r"(?:^|\s)(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\.?)\s*$");
re!(IPV6, r"(?i)[0-9a-f:]*:[0-9a-f:]*:[0-9a-f:.]*");
// As OCR reads IPv6: look-alikes for digits (o, l, I, |, g, s), a space after a colon, a dot
// before one, one colon of "::" lost. Groups of 1-4 such characters joined by colons.
re!(
    IPV6_OCR,
    r"[0-9a-fA-FoOlI|gsS]{0,4}(?:\.?:\x20?:?\x20?[0-9a-fA-FoOlI|gsS]{1,4}){3,8}(?:\.?::)?"
);

pub struct IpRecognizer {
    public_ips: bool,
}

impl IpRecognizer {
    pub(super) fn new(public_ips: bool) -> Self {
        IpRecognizer { public_ips }
    }
}

/// Is this dotted quad a private (RFC 1918, link-local, CGNAT) address?
fn private_v4(o: &[u32]) -> bool {
    o[0] == 10
        || (o[0] == 172 && (16..32).contains(&o[1]))
        || (o[0] == 192 && o[1] == 168)
        || (o[0] == 169 && o[1] == 254)
        || (o[0] == 100 && (64..128).contains(&o[1]))
}

impl Recognizer for IpRecognizer {
    fn name(&self) -> &'static str {
        "ip"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Ip]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        // the shortest plausible match: four digits, 70 % of them real
        // the shortest plausible match has 4 digits, 70 % of them real
        for view in line.numeric_views(3) {
            for m in IPV4.find_iter(view.text) {
                let (s, e) = view.span(&m);
                // An address is bounded by anything but digits and dots: OCR splits lines between
                // columns and sometimes repeats the neighbour's last letter ("e10.44.33.177"), and
                // a letter beside an address is far likelier that than part of a version string.
                let (before, after) = (line.before(s), line.at(e));
                if !view.plausible(&m) || before.is_ascii_digit() || before == '.' || after.is_ascii_digit() {
                    continue;
                }
                let octets: Vec<u32> = m
                    .as_str()
                    .split(['.', ','])
                    .filter_map(|o| o.trim().parse().ok())
                    .collect();
                if octets.len() != 4 || octets.iter().any(|&o| o > 255) {
                    continue;
                }
                // loopback and "any" say nothing about a network
                if octets[0] == 127 || octets == [0, 0, 0, 0] {
                    continue;
                }
                let private = private_v4(&octets);
                if private || self.public_ips {
                    found.push(s, e, Category::Ip, if private { "ipv4-private" } else { "ipv4" });
                }
            }
        }
        if let Some((s, e)) = cut_off_v4(line.text) {
            found.push(s, e, Category::Ip, "ipv4-cut-off");
        }
        if line.text.matches(':').count() < 2 {
            return;
        }
        for m in IPV6.find_iter(line.text) {
            let t = m.as_str().trim_end_matches([':', '.']);
            if t.len() >= 6
                && t.matches(':').count() >= 2
                && t.chars().any(|c| c.is_ascii_hexdigit())
                && t.parse::<Ipv6Addr>().is_ok()
            {
                let (s, _) = line.span(&m);
                found.push(s, s + t.chars().count(), Category::Ip, "ipv6");
            }
        }
        for m in IPV6_OCR.find_iter(line.text) {
            let (s, e) = line.span(&m);
            let bounded = !line.before(s).is_alphanumeric() && !line.at(e).is_alphanumeric();
            if bounded && ocr_ipv6(m.as_str()) {
                found.push(s, e, Category::Ip, "ipv6-ocr");
            }
        }
    }
}

/// A private address whose last octet is cut off where the text ends ("10.140.199",
/// "172.22.65."), as a character span. Only where it cannot be a version or a date: it ends
/// in the dot of the missing octet, or one of its octets has three digits.
fn cut_off_v4(text: &str) -> Option<(usize, usize)> {
    let c = IPV4_CUT.captures(text)?;
    let octets: Vec<u32> = (1..=3).filter_map(|k| c[k].parse().ok()).collect();
    if octets.len() != 3 || octets.iter().any(|&o| o > 255) || !private_v4(&[octets[0], octets[1], octets[2], 0]) {
        return None;
    }
    let three_digits = (1..=3).any(|k| c[k].len() == 3);
    if c[4].is_empty() && !three_digits {
        return None;
    }
    let (start, end) = (c.get(1)?.start(), c.get(4)?.end());
    Some((text[..start].chars().count(), text[..end].chars().count()))
}

/// Does this colon-joined run, as OCR read it, have the structure of an IPv6 address? At least
/// four groups and three colons, most characters real hex digits, 8+ hex digits in all, a group
/// of 3-4 digits; not a MAC address (six groups of two) nor a clock time (decimal pairs).
fn ocr_ipv6(raw: &str) -> bool {
    let t: String = raw.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
    let groups: Vec<&str> = t.split(':').filter(|g| !g.is_empty()).collect();
    let chars: usize = groups.iter().map(|g| g.len()).sum();
    let hex = t.chars().filter(|c| c.is_ascii_hexdigit()).count();
    let mac = groups.len() == 6 && !t.contains("::") && groups.iter().all(|g| g.len() == 2);
    let clock = groups
        .iter()
        .all(|g| g.len() <= 2 && g.chars().all(|c| c.is_ascii_digit()));
    groups.len() >= 4
        && t.matches(':').count() >= 3
        && chars >= 8
        && hex * 10 >= chars * 8
        && groups.iter().any(|g| g.len() >= 3)
        && !mac
        && !clock
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::super::{Classifier, ClassifierConfig};
    use super::*;

    #[test]
    fn addresses() {
        for (text, want) in [
            ("ssh deploy@10.80.145.42 'systemctl restart api'", "10.80.145.42"),
            ("10.207.226.161", "10.207.226.161"),
            // look-alikes: O for 0, l for 1
            ("address 10.2O7.226.l61 is up", "10.2O7.226.l61"),
            // a neighbour column's letter glued on
            ("e10.44.33.177 active", "10.44.33.177"),
            // OCR's space after a dot
            ("with address 10.93. 189.95.", "10.93. 189.95"),
            // ... or before one
            ("Elif 192.168 .163.216 elif@example.net", "192.168 .163.216"),
            ("gateway 192.168.1.254", "192.168.1.254"),
            ("fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
            ("bind 2001:db8::8a2e:370:7334 port 443", "2001:db8::8a2e:370:7334"),
            ("8.8.8.8", "8.8.8.8"),
            // as OCR reads them: a space after a colon, l for 1, g for 9, o for 0
            (
                "request from fe8o::cg41: 7a2c:e5b0:1d3f user=x",
                "fe8o::cg41: 7a2c:e5b0:1d3f",
            ),
            (
                "inet6 2a02:5b1f:2lac: :7d0e:b00c/64 scope global",
                "2a02:5b1f:2lac: :7d0e:b00c",
            ),
            (
                "\"listen\": \"fd3a:91c2:7e0d:aa41::lbe2\",",
                "fd3a:91c2:7e0d:aa41::lbe2",
            ),
            // a dot before "::", one colon of "::" lost
            ("2406:77ac:e1b.::4c0d:9f10", "2406:77ac:e1b.::4c0d:9f10"),
            ("peer fe80:a1c3:55ef:d02:9b1e", "fe80:a1c3:55ef:d02:9b1e"),
            ("2600:19bd:c7e4:: 0a3f:66d1", "2600:19bd:c7e4:: 0a3f:66d1"),
            // the last octet cut off by the window's edge
            ("10.140.199", "10.140.199"),
            ("Viewer 172.22.65.", "172.22.65."),
        ] {
            assert_covers(text, Category::Ip, want);
        }
        for text in [
            "lo UNKNOWN 127.0.0.1/8",
            "Version 1.2.3 released",
            "listen 0.0.0.0:80",
            "release 1.22.333.4444",
            "sizes 10, 20, 30, 40",
            "at 10:41:22 the job ran",
            "999.1.1.1",
            // a MAC address, clock times, a ratio and words with colons
            "link/ether 40:29:08:90:70:a1 brd ff:ff:ff:ff:ff:ff",
            "uptime 10:41:22:05 elapsed",
            "mix 1:2:3:4",
            "note: see: also: this",
            "fields id:name:email:role",
            // versions and dates are not cut-off addresses
            "Version 10.2.1",
            "due 10.11.24",
            "release 10.120.5 is out today",
            "8.140.199",
        ] {
            assert_not_covered(text, Category::Ip);
        }
    }

    #[test]
    fn public_addresses_follow_the_policy() {
        let cfg = ClassifierConfig {
            public_ips: false,
            ..Default::default()
        };
        let f = Classifier::new(cfg).classify("dns 8.8.8.8 and 192.168.1.4");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "ipv4-private");
    }
}
