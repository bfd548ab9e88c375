#!/usr/bin/env python3
"""Builds assets/names/names.txt, scrim's gazetteer of given names and surnames, from the
per-locale person-name lists of Python Faker (MIT licence, https://pypi.org/project/Faker/).

    python3 assets/names/make_names.py            # fetches the pinned wheel with pip
    python3 assets/names/make_names.py WHEEL_OR_DIR

Latin-script names are kept as they are; Cyrillic, Greek and Korean ones also romanised (as they
are written in Latin-script mail and directories: 'Иванова' -> 'ivanova', 'Γιώργος' -> 'giorgos',
'지우' -> 'ji', 'woo', 'jiwoo');
other scripts are left out. Every name is folded as scrim folds text when
it looks a word up (lower case, diacritics off, apostrophes gone, ł->l, ø->o, ß->ss, ...), so
'Dąbrowski', 'DABROWSKI' and 'Dabrowski' are one entry. A name that is also a common English
word (Faker's en_US lorem word list: 'Page', 'Green', 'May'; months, weekdays and a few
interface words) is marked '~': on its own it does
not make a phrase a person's name. The output is sorted and deterministic."""

import importlib
import os
import pkgutil
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

FAKER = "faker==40.63.0"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "names.txt")
# name parts that are particles, not names ("Lotte de Boer", "Ahmad bin Yusof")
PARTICLES = set(
    "de da di du del della der den des dos das do van von ter ten te la le les lo y e al el bin binti bint ibn "
    "ben mac st san santa zu und".split()
)
# English words of calendars and interfaces Faker's lorem list lacks that are also names somewhere
# ("June", "Sunday", "Edit", "Sales"): like the lorem words, they need another name beside them
INTERFACE_WORDS = set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday edit sales date done branch minor "
    "sign login help home mail chat news".split()
)
SPECIAL = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


# romanisation of Cyrillic (Russian, Ukrainian, Bulgarian; BGN/PCGN-like) and Greek (ELOT 743-like)
CYRILLIC = dict(zip("абвгдезийклмнопрстуфцыэіґ", "abvgdeziyklmnoprstufcyeig")) | {
    "ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
    "ю": "yu", "я": "ya", "ї": "yi", "є": "ye",
}
GREEK = dict(zip("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstyfo")) | {"θ": "th", "χ": "ch", "ψ": "ps", "\0": "ou"}


def romanised(word: str):
    """Latin spellings of a Cyrillic, Greek or Korean name; none for other scripts."""
    if is_hangul(word):
        return hangul_romanised(word)
    w = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    if all(c in CYRILLIC for c in w):
        out = "".join(CYRILLIC[c] for c in w)
        # Е at the start of a name is written Ye as often as E (Yekaterina, Yevgeny)
        return [out, "y" + out] if w.startswith("е") else [out]
    w = w.replace("ου", "\0")  # one sound, written ou
    if all(c in GREEK for c in w):
        return ["".join(GREEK[c] for c in w)]
    return []


# Hangul, romanised as Korean names are written in Latin-script directories and mail: the
# Revised Romanization of each syllable, and the spellings people use beside it (McCune-Reischauer
# and common usage: 'Kim', 'Park', 'Lee', 'Hyun', 'Woo', 'Yoon', 'Shin'). Each syllable on its own
# ('Ji-woo', 'Seo-yeon') and a given name's syllables joined ('Jiwoo', 'Seoyeon').
RR_INITIAL = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
RR_MEDIAL = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
RR_FINAL = [""] + "k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()
# surnames whose usual spelling no rule gives
KOREAN_SURNAMES = {"이": ["lee", "yi", "rhee"], "박": ["park", "pak"], "김": ["kim", "gim"], "최": ["choi", "choe"],
                   "정": ["jung", "chung", "jeong"], "조": ["cho", "jo"], "임": ["lim", "im", "rim"], "류": ["ryu", "yoo", "yu"],
                   "유": ["yoo", "yu"], "서": ["seo", "suh"], "노": ["noh", "roh", "no"], "오": ["oh", "o"], "허": ["heo", "huh"]}


KOREAN_SHORT = set()


def is_hangul(word: str) -> bool:
    return any(0xAC00 <= ord(c) < 0xAC00 + 11172 for c in word)


def hangul_syllable(ch: str):
    """Latin spellings of one Hangul syllable, or None if `ch` is not one."""
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return None
    ini, med, fin = RR_INITIAL[code // 588], RR_MEDIAL[code % 588 // 28], RR_FINAL[code % 28]
    ini = "" if ini == "-" else ini
    initials = {ini} | {"g": {"k"}, "d": {"t"}, "b": {"p"}, "j": {"ch"}, "r": {"l"}}.get(ini, set())
    if ini == "s" and med.startswith(("i", "y", "w")):
        initials.add("sh")
    medials = {med} | {"eo": {"u"}, "u": {"oo"}, "yu": {"yoo"}, "yeo": {"yu"}, "ui": {"ee"}}.get(med, set())
    if ini == "" and med == "u":
        medials |= {"woo", "wu"}
    if ini == "" and med == "i":
        medials |= {"yi", "lee"}
    return sorted({i + m + fin for i in initials for m in medials})


def hangul_romanised(word: str):
    """Latin spellings of a Korean name written in Hangul: its syllables and, for a given name of
    two, the syllables joined; none for other scripts."""
    sylls = [hangul_syllable(c) for c in word]
    if not sylls or any(s is None for s in sylls):
        return []
    out = {w for s in sylls for w in s}
    # a syllable of two letters is an English word as often as not ('go', 'no', 'me'): like a
    # common word it needs another name beside it
    KOREAN_SHORT.update(w for w in out if len(w) <= 2)
    if len(word) == 1:
        out |= set(KOREAN_SURNAMES.get(word, []))
    if len(sylls) == 2:
        out |= {a + b for a in sylls[0] for b in sylls[1]}
    return sorted(out)


def fold(word: str) -> str:
    """What scrim's gazetteer look-up compares (pipeline/layout/gazetteer.rs folds the same way)."""
    w = word.lower().translate(SPECIAL)
    w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    return w.replace("'", "").replace("’", "")


def faker_dir(arg):
    if arg and os.path.isdir(arg):
        return arg
    tmp = tempfile.mkdtemp(prefix="scrim-names-")
    wheel = arg
    if not wheel:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, FAKER], check=True)
        wheel = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl"))
    zipfile.ZipFile(wheel).extractall(tmp)
    return tmp


def values(v):
    if isinstance(v, dict):
        return list(v.keys())
    if isinstance(v, (list, tuple)):
        return [x for x in v if isinstance(x, str)]
    return []


def main():
    root = faker_dir(sys.argv[1] if len(sys.argv) > 1 else None)
    sys.path.insert(0, root)
    import faker
    import faker.providers.person as person
    from faker.providers.lorem.en_US import Provider as Lorem

    version = getattr(faker, "VERSION", "?")
    common = {fold(w) for w in Lorem.word_list} | INTERFACE_WORDS
    names = set()
    written = set()  # names some locale writes in Latin, Cyrillic or Greek letters
    locales = sorted(m.name for m in pkgutil.iter_modules(person.__path__))
    for loc in locales:
        p = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in dir(p):
            # first_names*, last_names*, middle_names*, *_romanized_names*; not kana, pairs, languages
            if not re.fullmatch(r"(first|last|middle|male_last|unisex_last)(_romanized)?_names(_\w+)?", attr):
                if not re.fullmatch(r"(first|last)_romanized_names(_\w+)?", attr):
                    continue
            for full in values(getattr(p, attr)):
                for part in re.split(r"[\s\-]+", full):
                    part = part.strip(".,()")
                    for w in [fold(part), *romanised(part)]:
                        if len(w) >= 2 and re.fullmatch(r"[a-z]+", w) and w not in PARTICLES:
                            names.add(w)
                            if not is_hangul(part):
                                written.add(w)
    common |= KOREAN_SHORT - written
    licence = next(
        open(os.path.join(d, f), encoding="utf-8").read()
        for d, _, files in os.walk(root)
        if d.endswith(".dist-info") or d.endswith("licenses")
        for f in files
        if f.startswith("LICENSE")
    )
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(
            "# scrim's name gazetteer: given names and surnames, one folded word a line ('~': also a\n"
            "# common English word). Generated by assets/names/make_names.py from the person-name lists\n"
            f"# of Python Faker {version} ({len(locales)} locales), whose licence follows.\n#\n"
        )
        f.writelines(f"# {l}".rstrip() + "\n" for l in licence.strip().splitlines())
        for w in sorted(names):
            f.write(f"{w} ~\n" if w in common else f"{w}\n")
    print(f"{OUT}: {len(names)} names ({sum(w in common for w in names)} also common words), "
          f"{os.path.getsize(OUT)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
