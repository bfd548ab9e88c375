"""Generate the corpus: render every planned screen through its real application, then keep as
ground truth only the strings the oracle reads in the original (recall is measured on what a
reader could see); what was dropped is recorded per case.

  python -m corpusgen.generate OUT [--seed N] [--count N] [--quick] [--jobs N]"""

import argparse
import atexit
import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from . import oracle, xsession
from .gt import CATEGORIES
from .oracle import alnum, norm
from .plan import plan
from .render import browser_session, desktop_screen, session_workdir
from .server import Site, dumps, serve

MIN_LEN = 5  # strings shorter than this (normalised) prove nothing either way


def finalize(meta, png, out_dir, cache):
    """Oracle on the original; write the case JSON with only what it could read."""
    lines = oracle.read(png, cache)
    sens, ctrls = meta.pop("sensitive"), meta.pop("controls")
    dropped = {"too_short": [], "sensitive_not_read_in_original": [], "controls_not_read_in_original": [],
               "controls_overlapping_sensitive": []}
    sens2 = []
    for s in sens:
        (sens2 if len(norm(s["text"])) >= MIN_LEN else dropped["too_short"]).append(s)
    ctrl2 = []
    sens_alnum = [alnum(s["text"]) for s in sens2]
    for c in ctrls:
        a = alnum(c)
        if len(norm(c)) < MIN_LEN:
            dropped["too_short"].append({"text": c, "category": "control"})
        elif any(a and (a in sa or sa in a) for sa in sens_alnum if sa):
            dropped["controls_overlapping_sensitive"].append(c)  # the same text is also sensitive somewhere
        else:
            ctrl2.append(c)
    leaked, lost = oracle.judge(sens2, ctrl2, lines)
    read_idx = {i for i, _, _ in leaked}
    lost_idx = {i for i, _ in lost}
    meta["sensitive"] = [s for i, s in enumerate(sens2) if i in read_idx]
    meta["controls"] = [c for i, c in enumerate(ctrl2) if i not in lost_idx]
    dropped["sensitive_not_read_in_original"] = [s for i, s in enumerate(sens2) if i not in read_idx]
    dropped["controls_not_read_in_original"] = [c for i, c in enumerate(ctrl2) if i in lost_idx]
    meta["dropped"] = dropped
    meta.update({"type": "screenshot", "file": os.path.basename(png), "oracle": oracle.VERSION,
                 "fuzzy_threshold": oracle.THRESHOLD})
    with open(os.path.join(out_dir, meta["case"] + ".json"), "w") as f:
        f.write(dumps(meta))
    return meta


def tool_versions():
    out = {}
    for name, argv in [("chromium", ["chromium", "--version"]), ("firefox", ["firefox-esr", "--version"]),
                       ("libreoffice", ["soffice", "--version"]), ("tesseract", ["tesseract", "--version"]),
                       ("mousepad", ["mousepad", "--version"]), ("xterm", ["xterm", "-version"])]:
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
            out[name] = ((r.stdout or r.stderr).strip().splitlines() or [""])[0]
        except (OSError, subprocess.TimeoutExpired):
            out[name] = None
    return out


def summarize(metas, failures, seed, count, seconds):
    cats = collections.Counter()
    kinds = collections.Counter()
    dropped = collections.Counter()
    apps = collections.Counter()
    for m in metas:
        apps[m["app"]] += 1
        for s in m["sensitive"]:
            cats[s["category"]] += 1
            if s["category"] == "secret":
                kinds[s.get("kind", "?")] += 1
        for s in m["dropped"]["sensitive_not_read_in_original"]:
            dropped[s["category"]] += 1
    return {"seed": seed, "count_planned": count, "screens": len(metas), "failures": failures,
            "sensitive": sum(cats.values()), "controls": sum(len(m["controls"]) for m in metas),
            "by_category": dict(sorted(cats.items())), "dropped_unreadable_by_category": dict(sorted(dropped.items())),
            "secret_kinds": dict(sorted(kinds.items())), "by_app": dict(sorted(apps.items())),
            "seconds": round(seconds, 1), "tools": tool_versions()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output directory (PNG + JSON per screen, _manifest.json)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=230, help="screens to plan (default 230)")
    ap.add_argument("--quick", action="store_true", help="a few dozen screens (--count 36)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel oracle readers (default 2)")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/scrim-corpus-ocr"), help="oracle cache ('' for none)")
    ap.add_argument("--only", help="comma-separated applications to render (debugging)")
    ap.add_argument("--cases", help="comma-separated case ids: render only their sessions (debugging)")
    a = ap.parse_args(argv)
    count = 36 if a.quick else a.count
    missing = xsession.missing_tools(["Xvfb", "openbox", "xdotool", "ffmpeg", "tesseract", "chromium", "firefox-esr",
                                      "soffice", "mousepad", "xterm", "urxvt", "lxterminal", "xfce4-terminal"])
    if missing:
        sys.exit(f"generate: missing {', '.join(missing)} (benches/corpus/generate.sh installs them)")
    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.endswith((".png", ".json")):
            os.remove(os.path.join(a.out, f))
    work = tempfile.mkdtemp(prefix="scrim-corpus-")
    atexit.register(lambda: [x.close() for x in list(xsession.LIVE)] and None)
    atexit.register(shutil.rmtree, work, True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    site = Site()
    srv, port = serve(site)
    sessions = plan(a.seed, count)
    if a.only:
        keep = set(a.only.split(","))
        sessions = [s for s in sessions if s["app"] in keep]
    if a.cases:
        want = set(a.cases.split(","))
        sessions = [s for s in sessions if want & {sc["case"] for sc in s["screens"]}]
    t0 = time.monotonic()
    metas, failures, futures = [], [], []
    pool = ThreadPoolExecutor(a.jobs)
    n_total = sum(len(s["screens"]) for s in sessions)
    done = 0
    log = open(os.path.join(a.out, "_generate.log"), "w")
    for sess in sessions:
        wd = session_workdir(work, sess)
        gen = (browser_session(sess, wd, a.seed, site, port, log) if sess["app"] in ("chromium", "firefox")
               else desktop_screen(sess, wd, a.seed, log))
        try:
            for meta, img in gen:
                if meta is None:  # this screen could not be rendered: record it and go on
                    failures.append(dict(img, app=sess["app"]))
                    print(f"generate: {img['case']} failed: {img['error']}", file=sys.stderr, flush=True)
                    continue
                png = os.path.join(a.out, meta["case"] + ".png")
                img.save(png, optimize=False)
                futures.append(pool.submit(finalize, meta, png, a.out, a.cache or None))
                done += 1
                print(f"[{done}/{n_total}] {meta['case']} ({time.monotonic() - t0:.0f}s)", file=sys.stderr, flush=True)
        except Exception as e:  # a bug in one session must not end the run: record it and go on
            failures.append({"case": sess["screens"][0]["case"], "app": sess["app"], "error": f"{type(e).__name__}: {e}"})
            print(f"generate: session {sess['screens'][0]['case']} failed: {e}", file=sys.stderr, flush=True)
            traceback.print_exc(file=log)
        finally:
            for d in os.listdir(work):
                shutil.rmtree(os.path.join(work, d), ignore_errors=True)
    for fu in futures:
        metas.append(fu.result())
    pool.shutdown()
    srv.shutdown()
    summary = summarize(metas, failures, a.seed, count, time.monotonic() - t0)
    with open(os.path.join(a.out, "_manifest.json"), "w") as f:
        f.write(dumps(summary))
    print(f"generate: {summary['screens']} screens, {summary['sensitive']} sensitive values, {summary['controls']} controls, "
          f"{len(failures)} failed sessions, {summary['seconds']:.0f} s", file=sys.stderr)
    print("  by category: " + ", ".join(f"{k} {v}" for k, v in summary["by_category"].items()), file=sys.stderr)
    missing_cats = [c for c in CATEGORIES if c not in summary["by_category"]]
    if missing_cats:
        print(f"  no values of: {', '.join(missing_cats)}", file=sys.stderr)
    return 1 if failures and not metas else 0


if __name__ == "__main__":
    sys.exit(main())
