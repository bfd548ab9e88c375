"""The independent reader: Tesseract, and the rules that decide whether a string is still
readable in what it read. It knows nothing about scrim.

Reading: three Tesseract passes over an image (grayscale as is, page segmentation 3; 2x Lanczos
upscale, sparse text 11; the same inverted, for light-on-dark text), and the union of the lines
they found.

Readable: a string S and an OCR line L, both normalised (NFKC, lower case, unicode punctuation
folded to ASCII, whitespace removed). L reproduces S if the best alignment of S inside L scores
>= 80 (rapidfuzz partial ratio; plain ratio when L is shorter than S, so a line holding half a
secret scores ~67). A line does not count for S if another ground-truth string of the same
screen matches the same part of it strictly better (a visible look-alike is not a leak of its
neighbour); strings that contain one another do not compete. A sensitive string is also readable
if one of its cores (its secret part, >= 6 alphanumerics) appears verbatim among the line's
alphanumerics. Controls use the fuzzy rule only."""

import hashlib
import json
import os
import re
import subprocess
import tempfile
import unicodedata

from rapidfuzz import fuzz

THRESHOLD = 80
CORE_MIN = 6
VERSION = "scrim-corpus-oracle-1"
PASSES = (("gray", 1, False, "3"), ("up2", 2, False, "11"), ("up2inv", 2, True, "11"))

_FOLD = {}
for _chars, _ascii in (("‘’‚‛`´′", "'"), ("“”„‟″", '"'), ("‐‑‒–—―−﹣－", "-"), ("，", ","), ("．。", "."),
                       ("：", ":"), ("；", ";"), ("／", "/"), ("＠", "@"), ("＿", "_"), ("｜¦", "|")):
    for _c in _chars:
        _FOLD[ord(_c)] = _ascii
_SPACE = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def norm(s):
    return _SPACE.sub("", unicodedata.normalize("NFKC", s).translate(_FOLD).lower())


def alnum(s):
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", s).lower())


def span_score(target, line):
    """(score 0-100, (start, end) in line) of the best reproduction of `target` in `line`."""
    if not target or not line:
        return 0.0, (0, 0)
    if len(line) < len(target):
        return fuzz.ratio(target, line), (0, len(line))
    al = fuzz.partial_ratio_alignment(target, line)
    if al is None:
        return 0.0, (0, 0)
    if len(line) == len(target) and (al.src_start, al.src_end) != (0, len(target)):
        # equal lengths: a partial alignment would reward a shifted half; compare whole strings
        return fuzz.ratio(target, line), (0, len(line))
    return al.score, (al.dest_start, al.dest_end)


def rivals(text, everything):
    """Normalised ground-truth strings that compete with `text` for a line: all others, except
    those that contain it or that it contains (a name does not compete with its own e-mail)."""
    t, ta = norm(text), alnum(text)
    out = []
    for other in everything:
        n, a = norm(other), alnum(other)
        if n == t or (ta and a and (ta in a or a in ta)):
            continue
        out.append(n)
    return out


def is_readable(text, cores, lines, rival_texts):
    """(readable, how, best score). `lines`: prepared OCR lines (see prepare)."""
    t = norm(text)
    best = 0.0
    for ln in lines:
        score, (a0, a1) = span_score(t, ln["n"])
        if score < THRESHOLD or score <= best:
            continue
        beaten = False
        for r in rival_texts:
            rs, (b0, b1) = span_score(r, ln["n"])
            if rs > score and min(a1, b1) - max(a0, b0) >= 0.5 * max(1, a1 - a0):
                beaten = True
                break
        if not beaten:
            best = score
            if best >= 100:
                break
    if best >= THRESHOLD:
        return True, "fuzzy", best
    for core in cores or ():
        c = alnum(core)
        if len(c) >= CORE_MIN and any(c in ln["a"] for ln in lines):
            return True, "core", best
    return False, "", best


def prepare(lines):
    return [{"n": norm(l["text"]), "a": alnum(l["text"]), "text": l["text"], "box": l["box"]} for l in lines]


def judge(sensitive, controls, lines):
    """Which sensitive items are readable and which controls are not, on one image's OCR lines.
    Returns (leaked [(index, how, score)], lost [(index, score)])."""
    prepared = prepare(lines)
    everything = [s["text"] for s in sensitive] + list(controls)
    leaked, lost = [], []
    for i, s in enumerate(sensitive):
        ok, how, sc = is_readable(s["text"], s.get("cores"), prepared, rivals(s["text"], everything))
        if ok:
            leaked.append((i, how, round(sc, 1)))
    for i, c in enumerate(controls):
        ok, _, sc = is_readable(c, (), prepared, rivals(c, everything))
        if not ok:
            lost.append((i, round(sc, 1)))
    return leaked, lost


# ---------------------------------------------------------------------------- Tesseract
def tesseract_version():
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def _tsv_lines(tsv, scale, name):
    groups = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        l, t, w, h = (int(x) / scale for x in f[6:10])
        g = groups.setdefault(tuple(f[1:5]), {"words": [], "box": [l, t, l + w, t + h]})
        g["words"].append(f[11].strip())
        b = g["box"]
        g["box"] = [min(b[0], l), min(b[1], t), max(b[2], l + w), max(b[3], t + h)]
    return [{"text": " ".join(g["words"]), "box": [round(v) for v in g["box"]], "pass": name}
            for g in groups.values()]


def read(png, cache_dir=None):
    """OCR lines of an image: the union over the three passes, [{text, box, pass}]."""
    from PIL import Image, ImageOps
    data = open(png, "rb").read()
    key = hashlib.sha1(data + VERSION.encode()).hexdigest()
    cached = os.path.join(cache_dir, key + ".json") if cache_dir else None
    if cached and os.path.exists(cached):
        with open(cached) as f:
            return json.load(f)
    img = Image.open(png).convert("L")
    lines = []
    with tempfile.TemporaryDirectory(prefix="scrim-oracle-") as td:
        for name, scale, invert, psm in PASSES:
            im = img.resize((img.width * scale, img.height * scale), Image.LANCZOS) if scale != 1 else img
            if invert:
                im = ImageOps.invert(im)
            p = os.path.join(td, name + ".png")
            im.save(p)
            r = subprocess.run(["tesseract", p, "-", "--psm", psm, "-l", "eng", "tsv"], capture_output=True,
                               env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=True)
            lines += _tsv_lines(r.stdout.decode("utf-8", "replace"), scale, name)
    if cached:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = cached + f".{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            json.dump(lines, f)
        os.replace(tmp, cached)
    return lines
