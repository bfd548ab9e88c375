#!/usr/bin/env bash
# The whole own-corpus measurement: generate the corpus (if not there yet), redact every screen
# with scrim's directory mode, score the outputs with the independent reader, print the table.
#
#   benches/corpus/run.sh [--regenerate] [generate.sh options: --seed N --count N --quick]
#
# POLICY=FILE redacts with that policy file (e.g. one with `color = "#000000"` under
# [redaction], to compare black boxes with the default shaded ones).
# Writes out/corpus/ (screens + ground truth), out/corpus-redacted/ (scrim's outputs),
# out/corpus-score.json and out/corpus-leaks.txt (every leaked item by case: fake values).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus="${CORPUS:-$root/out/corpus}"
redacted="$root/out/corpus-redacted"
regen=0
args=()
for a in "$@"; do
  if [ "$a" = "--regenerate" ]; then regen=1; else args+=("$a"); fi
done
if [ $regen = 1 ] || [ ! -f "$corpus/_manifest.json" ]; then
  start=$(date +%s)
  "$here/generate.sh" "$corpus" "${args[@]}"
  echo "corpus: generated in $(( $(date +%s) - start )) s" >&2
fi
"$here/deps.sh"
(cd "$root" && cargo build --release --quiet)
# cargo's own target directory (CARGO_TARGET_DIR, relative to the checkout, or target/)
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
rm -rf "$redacted"
start=$(date +%s)
policy=()
[ -n "${POLICY:-}" ] && policy=(--policy "$POLICY")
"$target/release/scrim" redact "$corpus"/*.png -o "$redacted/" "${policy[@]}" 2>"$root/out/corpus-redact.log"
echo "corpus: scrim redacted $(ls "$redacted" | wc -l) screens in $(( $(date +%s) - start )) s" >&2
start=$(date +%s)
"$root/out/corpus-venv/bin/python" "$here/score.py" "$redacted" --truth "$corpus" \
  --json "$root/out/corpus-score.json" --leaks "$root/out/corpus-leaks.txt"
echo "corpus: scored in $(( $(date +%s) - start )) s; leaked items: out/corpus-leaks.txt" >&2
