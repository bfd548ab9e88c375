#!/usr/bin/env bash
# CPU per static 1080p frame on the Wayland portal path: scrim live --source portal on a still
# headless sway desktop (tests/wayland/session.sh), 1920x1080 at 30 fps into /dev/null (Y4M).
# Two runs of different length; the difference in CPU time (user+sys, bash's time) over the
# difference in frames is the cost of one more static frame, without start-up and the first
# analysis. The figure includes the Y4M sink (RGBA -> I420 for every frame, written to /dev/null):
#   benches/portal-static.sh [SCRIM_BINARY]      (default target/release/scrim)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
scrim="$(realpath "${1:-$here/target/release/scrim}")"
if [ -z "${SCRIM_WL_INSIDE:-}" ]; then
  exec "$here/tests/wayland/session.sh" --size 1920x1080 -- "$0" "$scrim"
fi
printf 'Quarterly planning notes\nAgenda items are listed below.\n' > "$XDG_STATE_HOME/notes.txt"
foot -o "font=DejaVu Sans Mono:size=14" less "$XDG_STATE_HOME/notes.txt" >/dev/null 2>&1 &
for _ in $(seq 200); do swaymsg -t get_tree | grep -q '"app_id": "foot"' && break; sleep 0.05; done
cpu_of() { # frames -> "cpu_seconds"
  local TIMEFORMAT='%U %S'
  { time "$scrim" live --source portal --fps 30 --frames "$1" --sink stdout >/dev/null 2>"$XDG_STATE_HOME/err" \
    || { cat "$XDG_STATE_HOME/err" >&2; exit 1; }; } 2>"$XDG_STATE_HOME/time"
  awk '{print $1 + $2}' "$XDG_STATE_HOME/time"
}
short=150; long=450
a=$(cpu_of $short); b=$(cpu_of $long)
awk -v a="$a" -v b="$b" -v n=$((long - short)) \
  'BEGIN { printf "portal path, static 1920x1080 at 30 fps: %.2f ms CPU per frame (%.2f s CPU for %d frames, %.2f s for %d more)\n", (b - a) * 1000 / n, a, '"$short"', b - a, n }'
