#!/usr/bin/env python3
"""Pick the test slice from a generated corpus: a few screens that together cover every
application, every category, address-bar typing in both browsers and a control page, preferring
small screens; copies them (PNG + ground truth) to assets/corpus-slice/.

  benches/corpus/make_slice.py [--corpus out/corpus] [--dest assets/corpus-slice] [--max 16]"""

import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from corpusgen.gt import CATEGORIES  # noqa: E402
from corpusgen.plan import APPS  # noqa: E402

BUDGET = 4_000_000  # bytes of PNG the slice may add to the repository


def needs(case):
    """The coverage labels a case contributes."""
    out = {f"app:{case['app']}"} | {f"cat:{s['category']}" for s in case["sensitive"]}
    if case.get("state") == "typing":
        out.add(f"typing:{case['app']}")
        if any(s.get("where") == "popup" for s in case["sensitive"]):
            out.add("popup")
    if case.get("control_page"):
        out.add("control-page")
    if case.get("template") in ("audit-log", "webmail-message", "chat", "api-keys", "config-viewer", "invoice", "calendar"):
        out.add(f"template:{case['template']}")
    if case.get("browser_dark"):
        out.add("dark-browser-ui")
    if case.get("scale", 1) > 1:
        out.add("scaled-ui")
    if case["app"] == "firefox" and case.get("state") == "page":
        out.add("firefox-page")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "out", "corpus"))
    ap.add_argument("--dest", default=os.path.join(ROOT, "assets", "corpus-slice"))
    ap.add_argument("--max", type=int, default=16)
    a = ap.parse_args()
    cases = []
    for f in sorted(os.listdir(a.corpus)):
        if f.endswith(".json") and not f.startswith("_"):
            with open(os.path.join(a.corpus, f)) as fh:
                c = json.load(fh)
            c["_bytes"] = os.path.getsize(os.path.join(a.corpus, c["file"]))
            if c["size"][0] <= 1920 and (c["sensitive"] or c.get("control_page")):
                cases.append(c)
    # first what every slice must cover, then breadth (page kinds, dark and scaled browser UI)
    must = {f"app:{x}" for x in APPS} | {f"cat:{x}" for x in CATEGORIES} | {"typing:chromium", "typing:firefox", "popup",
                                                                          "control-page", "template:audit-log"}
    breadth = {"template:webmail-message", "template:chat", "template:api-keys", "template:config-viewer",
               "template:invoice", "template:calendar", "dark-browser-ui", "scaled-ui", "firefox-page"}
    chosen, covered, used = [], set(), 0
    for want in (must, breadth):
        while len(chosen) < a.max:
            best = max(cases, key=lambda c: (len((needs(c) & want) - covered), -c["_bytes"]), default=None)
            if best is None or not (needs(best) & want) - covered or used + best["_bytes"] > BUDGET:
                break
            chosen.append(best)
            covered |= needs(best)
            used += best["_bytes"]
            cases.remove(best)
    want = must | breadth
    missing = want - covered
    os.makedirs(a.dest, exist_ok=True)
    for f in os.listdir(a.dest):
        if f.endswith((".png", ".json")):
            os.remove(os.path.join(a.dest, f))
    for c in chosen:
        shutil.copy(os.path.join(a.corpus, c["file"]), os.path.join(a.dest, c["file"]))
        c.pop("_bytes")
        c.pop("dropped", None)  # the slice's test judges for itself what the oracle reads
        with open(os.path.join(a.dest, c["case"] + ".json"), "w") as fh:
            json.dump(c, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        print(f"{c['case']}: {', '.join(sorted(needs(c) & want))}")
    print(f"{len(chosen)} screens, {used / 1e6:.1f} MB" + (f"; not covered: {', '.join(sorted(missing))}" if missing else ""))


if __name__ == "__main__":
    main()
