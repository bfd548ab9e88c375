#!/usr/bin/env bash
# Records a lossless 1920x1080 30 fps screen session of a real Chromium (under Xvfb + openbox):
# typing an intranet URL with a token into the omnibox, loading a page of secrets, scrolling it.
# Writes OUT (default out/browser.mkv) and OUT's events file (…events.json: when the typing,
# the page load and each scroll happened, in ms from the first frame), for
#   scrim bench live out/browser.mkv --events out/browser.events.json
# Needs: xvfb openbox chromium xdotool ffmpeg python3 (`make deps`).
set -euo pipefail
out=${1:-out/browser.mkv}
events=${out%.*}.events.json
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/www/wiki" "$work/www/employees"
cat > "$work/www/wiki/index.html" <<'HTML'
<!doctype html><html><head><title>Team wiki</title></head><body style="font:22px sans-serif;margin:30px">
<h1>Team wiki</h1><p>Welcome to the weekly planning notes.</p><p>Agenda items are listed below.</p></body></html>
HTML
{
  echo '<!doctype html><html><head><title>Directory</title></head><body style="font:20px sans-serif;margin:30px">'
  echo '<h1>Employee directory</h1><p>Quarterly access review. Contact the owners below.</p><table cellpadding=6>'
  for i in $(seq 0 59); do
    printf '<tr><td>user%02d.lastname@payroll.intra.example</td><td>10.44.%d.%d</td><td>+1 415 555 %04d</td><td>sk_live_%08dQx7RmZ2pLk</td></tr>\n' \
      "$i" $((i + 10)) $((200 - i)) $((1200 + i)) $((73019 * (i + 1)))
  done
  echo '</table></body></html>'
} > "$work/www/employees/index.html"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 & pids+=($!)
exec 3< <(Xvfb -displayfd 1 -screen 0 1920x1080x24 -nolisten tcp 2>/dev/null)
pids+=($!)
read -r dnum <&3
export DISPLAY=":$dnum"
openbox >/dev/null 2>&1 & pids+=($!)
sleep 1
chromium --no-sandbox --test-type --disable-gpu --no-first-run --no-default-browser-check \
  --disable-background-networking --disable-component-update --disable-sync --disable-quic \
  --disable-features=Translate,MediaRouter --password-store=basic \
  --window-position=0,0 --window-size=1920,1080 --user-data-dir="$work/profile" \
  --host-resolver-rules="MAP * 127.0.0.1:$port" http://wiki.corp.example/wiki/ >/dev/null 2>&1 & pids+=($!)
sleep 8

now() { date +%s%3N; }
# lossless (x264 in RGB, qp 0), wall-clock timestamps kept so the first frame's time is known
ffmpeg -v error -y -f x11grab -framerate 30 -video_size 1920x1080 -draw_mouse 0 -i "$DISPLAY" \
  -copyts -c:v libx264rgb -preset ultrafast -qp 0 "$work/rec.mkv" & ff=$!
pids+=($ff)
sleep 2
t_type=$(now)
xdotool key ctrl+l
xdotool type --delay 120 "payroll.intra.example/employees/?token=tok_9f8e7d6c5b4a39281706"
t_enter=$(now)
xdotool key Return
sleep 3
t_scroll=()
for _ in 1 2 3; do t_scroll+=("$(now)"); xdotool key Page_Down; sleep 1.5; done
t_end=$(now)
sleep 1
kill -INT "$ff"; wait "$ff" || true
# the first frame's wall-clock time (x11grab stamps frames with the wall clock)
t0=$(ffprobe -v error -select_streams v:0 -show_entries packet=pts_time -of csv=p=0 -read_intervals '%+#1' "$work/rec.mkv" | head -1)
t0_ms=$(python3 -c "print(int(float('$t0')*1000))")
python3 - "$events" "$t0_ms" "$t_type" "$t_enter" "$t_end" "${t_scroll[@]}" <<'PY'
import json, sys
path, t0, typ, enter, end, *scrolls = sys.argv[1:]
t0, typ, enter, end = int(t0), int(typ), int(enter), int(end)
scrolls = [int(s) for s in scrolls]
ev = [{"label": "typing", "from_ms": typ - t0, "to_ms": enter - t0},
      {"label": "page-load", "from_ms": enter - t0, "to_ms": scrolls[0] - t0}]
for a, b in zip(scrolls, scrolls[1:] + [end]):
    ev.append({"label": "scroll", "from_ms": a - t0, "to_ms": b - t0})
json.dump(ev, open(path, "w"), indent=1)
PY
mv "$work/rec.mkv" "$out"
echo "wrote $out and $events"
