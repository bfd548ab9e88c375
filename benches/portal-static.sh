#!/usr/bin/env bash
# CPU per static 1080p frame on the Wayland portal path: scrim live --source portal on a still
# headless sway desktop (tests/wayland/session.sh), 1920x1080 at 30 fps into /dev/null (Y4M).
# One run; the CPU time of all of scrim's threads (their schedstat, in ns) is read once 150
# frames are out (start-up and the first analysis are over) and again 600 frames later: the
# difference over those frames is the cost of one more static frame. The figure includes the
# Y4M sink (every frame written to /dev/null) and the --stats line of each frame:
#   benches/portal-static.sh [SCRIM_BINARY]      (default target/release/scrim)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
scrim="$(realpath "${1:-$here/target/release/scrim}")"
if [ -z "${SCRIM_WL_INSIDE:-}" ]; then
  exec "$here/tests/wayland/session.sh" --size 1920x1080 -- "$0" "$scrim"
fi
st="$XDG_STATE_HOME"
printf 'Quarterly planning notes\nAgenda items are listed below.\n' > "$st/notes.txt"
foot -o "font=DejaVu Sans Mono:size=14" -o cursor.blink=no less "$st/notes.txt" >/dev/null 2>&1 &
for _ in $(seq 200); do swaymsg -t get_tree | grep -q '"app_id": "foot"' && break; sleep 0.05; done
from=150; more=600
"$scrim" live --source portal --fps 30 --frames $((from + more + 30)) --sink stdout --stats "$st/stats.jsonl" \
  >/dev/null 2>"$st/err" &
pid=$!
frames() { [ -f "$st/stats.jsonl" ] && wc -l <"$st/stats.jsonl" || echo 0; }
cpu_ns() { cat /proc/"$pid"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d\n", s }'; }
wait_frames() { # n -> waits (up to 120 s) until n frames are out
  for _ in $(seq 2400); do
    [ "$(frames)" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$st/err" >&2; echo "scrim ended early" >&2; exit 1; }
    sleep 0.05
  done
  echo "timed out waiting for $1 frames" >&2; exit 1
}
wait_frames $from
a=$(cpu_ns); na=$(frames); ta=$(date +%s.%N)
wait_frames $((from + more))
b=$(cpu_ns); nb=$(frames); tb=$(date +%s.%N)
wait "$pid" || { cat "$st/err" >&2; exit 1; }
# a placeholder is not the screen: the measurement only counts with the cast's own pictures
if grep -q "SOURCE LOST" "$st/err"; then cat "$st/err" >&2; echo "the cast lost its source" >&2; exit 1; fi
awk -v a="$a" -v b="$b" -v n=$((nb - na)) -v ta="$ta" -v tb="$tb" \
  'BEGIN { printf "portal path, static 1920x1080 at 30 fps: %.2f ms CPU per frame (%.3f s CPU for %d frames in %.1f s)\n", (b - a) / 1e6 / n, (b - a) / 1e9, n, tb - ta }'
