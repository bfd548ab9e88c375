#!/usr/bin/env bash
# Regenerates scrim's own evaluation corpus: screens of real applications (Chromium, Firefox ESR,
# LibreOffice Calc, Mousepad, xterm, rxvt-unicode, LXTerminal, Xfce Terminal) under private Xvfb
# displays, filled with random fake values, with ground truth checked by Tesseract.
#
#   benches/corpus/generate.sh [OUTDIR] [--seed N] [--count N] [--quick] [--jobs N]
#
# OUTDIR defaults to out/corpus (not committed). Installs what it needs on Debian 12 (apt
# packages when missing, sudo when not root; Python packages into out/corpus-venv).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/out/corpus"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then out=$1; shift; fi

"$here/deps.sh"
exec env PYTHONPATH="$here" "$root/out/corpus-venv/bin/python" -m corpusgen.generate "$out" "$@"
