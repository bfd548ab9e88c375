#!/usr/bin/env python3
"""Score a redaction tool's outputs against scrim's own corpus with an independent reader.

  benches/corpus/score.py OUT_REDACTED_DIR --truth out/corpus [--json result.json] [--leaks leaks.txt]

OUT_REDACTED_DIR holds one output per corpus screen under the same file name (what
`scrim redact out/corpus/*.png -o OUT_REDACTED_DIR/` writes). A missing output counts as the
unredacted original. Tesseract reads every output (three passes); a sensitive string still
readable is a leak, a control no longer readable is over-redaction (see corpusgen/oracle.py for
the exact rules). Reports per category, application, screen size, place on screen (page,
address bar, suggestion popup) and secret kind, and lists every leaked item by case.

The leaked text appears in this developer report only because every value in the corpus is a
random fake made by the generator; scrim itself never logs or reports redacted text.

Needs tesseract (apt tesseract-ocr tesseract-ocr-eng); its Python packages are installed on
first use into a private venv (out/corpus-venv) from benches/corpus/requirements.txt."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV = os.environ.get("SCRIM_CORPUS_VENV", os.path.join(ROOT, "out", "corpus-venv"))


def _bootstrap():
    """Re-run under the private venv (created on first use) unless its packages import here."""
    try:
        import PIL  # noqa: F401
        import rapidfuzz  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        sys.exit("score.py: the venv lacks its packages; remove it and run again: " + VENV)
    if not os.path.exists(py):
        print(f"score.py: creating {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if subprocess.run([py, "-c", "import PIL, rapidfuzz, phonenumbers"], capture_output=True).returncode != 0:
        subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                        os.path.join(HERE, "requirements.txt")], check=True)
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


_bootstrap()
sys.path.insert(0, HERE)

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from corpusgen import oracle  # noqa: E402


def load_truth(truth_dir):
    cases = []
    for f in sorted(os.listdir(truth_dir)):
        if f.endswith(".json") and not f.startswith("_"):
            with open(os.path.join(truth_dir, f)) as fh:
                c = json.load(fh)
            if c.get("type") == "screenshot":
                cases.append(c)
    return cases


def score_case(case, out_dir, truth_dir, cache):
    out = os.path.join(out_dir, case["file"])
    missing = not os.path.exists(out)
    lines = oracle.read(os.path.join(truth_dir, case["file"]) if missing else out, cache)
    leaked, lost = oracle.judge(case["sensitive"], case["controls"], lines)
    return {"case": case["case"], "missing": missing,
            "leaked": [dict(case["sensitive"][i], how=how, score=sc) for i, how, sc in leaked],
            "lost": [{"text": case["controls"][i], "score": sc} for i, sc in lost]}


class Tally:
    def __init__(self):
        self.n = collections.Counter()
        self.k = collections.Counter()

    def add(self, key, hit):
        self.n[key] += 1
        self.k[key] += bool(hit)

    def rows(self):
        return {key: {"n": self.n[key], "hit": self.k[key], "rate": self.k[key] / self.n[key]} for key in sorted(self.n)}


def summarize(cases, results):
    by = {name: Tally() for name in ("category", "app", "size", "where", "secret_kind", "state", "template")}
    ctrl = {name: Tally() for name in ("app", "size", "control_page")}
    total, total_c = Tally(), Tally()
    cases_leaking = 0
    for c, r in zip(cases, results):
        leaked = {(x["text"], x["category"]) for x in r["leaked"]}
        lost = {x["text"] for x in r["lost"]}
        size = f"{c['size'][0]}x{c['size'][1]}"
        cases_leaking += bool(leaked)
        for s in c["sensitive"]:
            hit = (s["text"], s["category"]) in leaked
            total.add("all", hit)
            by["category"].add(s["category"], hit)
            by["app"].add(c["app"], hit)
            by["size"].add(size, hit)
            by["where"].add(s.get("where", "page"), hit)
            by["state"].add(c.get("state", "?"), hit)
            by["template"].add(c.get("template") or "?", hit)
            if s["category"] == "secret":
                by["secret_kind"].add(s.get("kind", "?"), hit)
        for t in c["controls"]:
            hit = t in lost
            total_c.add("all", hit)
            ctrl["app"].add(c["app"], hit)
            ctrl["size"].add(size, hit)
            ctrl["control_page"].add("control pages" if c.get("control_page") else "other pages", hit)
    s = total.rows().get("all", {"n": 0, "hit": 0, "rate": 0.0})
    o = total_c.rows().get("all", {"n": 0, "hit": 0, "rate": 0.0})
    return {"screens": len(cases), "missing_outputs": sum(r["missing"] for r in results),
            "sensitive": s["n"], "leaked": s["hit"], "leak_rate": s["rate"], "recall": 1 - s["rate"],
            "cases_with_sensitive": sum(1 for c in cases if c["sensitive"]), "cases_leaking": cases_leaking,
            "controls": o["n"], "controls_lost": o["hit"], "over_redaction": o["rate"],
            "leaks_by": {k: v.rows() for k, v in by.items()}, "over_redaction_by": {k: v.rows() for k, v in ctrl.items()}}


def pct(x):
    return f"{100 * x:5.1f} %"


def table_text(summ):
    out = []
    out.append(f"screens {summ['screens']}, sensitive {summ['sensitive']}, controls {summ['controls']}"
               + (f", MISSING OUTPUTS {summ['missing_outputs']} (scored as unredacted)" if summ["missing_outputs"] else ""))
    out.append(f"leak rate {pct(summ['leak_rate'])} ({summ['leaked']}/{summ['sensitive']}; recall {pct(summ['recall'])}), "
               f"cases leaking {summ['cases_leaking']}/{summ['cases_with_sensitive']}, "
               f"over-redaction {pct(summ['over_redaction'])} ({summ['controls_lost']}/{summ['controls']})")
    for name, title in [("category", "category"), ("app", "application"), ("size", "screen size"), ("where", "place on screen"),
                        ("state", "screen state"), ("template", "template"), ("secret_kind", "secret kind")]:
        rows = summ["leaks_by"][name]
        out.append("")
        out.append(f"{title:<28s} {'values':>7s} {'leaked':>7s} {'leak':>8s} {'recall':>8s}")
        for key, v in sorted(rows.items(), key=lambda kv: (-kv[1]["rate"], kv[0])):
            if name == "secret_kind" and v["hit"] == 0:
                continue
            out.append(f"{key:<28s} {v['n']:>7d} {v['hit']:>7d} {pct(v['rate']):>8s} {pct(1 - v['rate']):>8s}")
        if name == "secret_kind":
            clean = sum(1 for v in rows.values() if v["hit"] == 0)
            out.append(f"({clean} of {len(rows)} secret kinds never leaked; not listed)")
    for name, title in [("app", "over-redaction by app"), ("size", "over-redaction by size"), ("control_page", "over-redaction")]:
        out.append("")
        out.append(f"{title:<28s} {'controls':>8s} {'lost':>6s} {'rate':>8s}")
        for key, v in sorted(summ["over_redaction_by"][name].items()):
            out.append(f"{key:<28s} {v['n']:>8d} {v['hit']:>6d} {pct(v['rate']):>8s}")
    return "\n".join(out)


def leaks_text(cases, results):
    out = ["# Leaked items by case (fake values, safe to read; see score.py's header)"]
    for c, r in zip(cases, results):
        if not r["leaked"] and not r["lost"]:
            continue
        out.append(f"{c['case']}  [{c['app']}, {c.get('template')}, {c.get('state')}]")
        for x in r["leaked"]:
            kind = f"/{x['kind']}" if x.get("kind") else ""
            out.append(f"  LEAK {x['category']}{kind} ({x.get('where', 'page')}, {x['how']} {x['score']}): {x['text']}")
        for x in r["lost"]:
            out.append(f"  LOST control: {x['text']}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", help="the tool's outputs, one per corpus screen, same file names")
    ap.add_argument("--truth", default=os.path.join(ROOT, "out", "corpus"), help="the generated corpus (default out/corpus)")
    ap.add_argument("--json", help="write the summary and per-case results as JSON")
    ap.add_argument("--leaks", help="write the list of leaked items and lost controls to this file (default: print it)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/scrim-corpus-ocr"), help="oracle cache ('' for none)")
    a = ap.parse_args()
    cases = load_truth(a.truth)
    if not cases:
        sys.exit(f"score.py: no corpus in {a.truth} (run benches/corpus/generate.sh first)")
    t0 = time.monotonic()
    with ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(lambda c: score_case(c, a.out_dir, a.truth, a.cache or None), cases))
    summ = summarize(cases, results)
    summ["seconds"] = round(time.monotonic() - t0, 1)
    leaks = leaks_text(cases, results)
    if a.leaks:
        with open(a.leaks, "w") as f:
            f.write(leaks + "\n")
    else:
        print(leaks + "\n")
    print(table_text(summ))
    if summ["missing_outputs"]:
        print(f"score.py: {summ['missing_outputs']} outputs missing in {a.out_dir}; scored as the unredacted originals",
              file=sys.stderr)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"oracle": oracle.VERSION, "threshold": oracle.THRESHOLD, "summary": summ, "results": results}, f, indent=1,
                      ensure_ascii=False)


if __name__ == "__main__":
    main()
