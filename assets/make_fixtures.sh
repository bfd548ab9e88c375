#!/usr/bin/env bash
# Regenerates the screenshots in assets/examples and assets/fixtures with a real Chromium on Xvfb,
# so the address bar is Chromium's own. Not needed to build or test (the PNGs are committed);
# needs: apt-get install chromium xvfb openbox imagemagick python3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# A loopback web server answers for every host name (Chromium maps them all to it below).
mkdir -p "$work/www/payments/oncall" "$work/www/news/2.4" "$work/www/shell"
cp "$here/fixtures/pages/intranet-dashboard.html" "$work/www/payments/oncall/index.html"
cp "$here/fixtures/pages/release-notes.html" "$work/www/news/2.4/index.html"
cp "$here/fixtures/pages/terminal.html" "$work/www/shell/index.html"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &

exec 3<> "$work/displayfd"
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
export DISPLAY=":$(head -n1 "$work/displayfd")"
openbox >/dev/null 2>&1 &
sleep 1

shoot() { # url output.png
  local profile="$work/profile-$RANDOM"
  chromium --no-sandbox --test-type --disable-gpu --no-first-run --no-default-browser-check \
    --disable-background-networking --disable-component-update --disable-sync --disable-quic \
    --disable-features=Translate,MediaRouter --password-store=basic --user-data-dir="$profile" \
    --host-resolver-rules="MAP * 127.0.0.1:$port" --window-position=0,0 --window-size=1920,1080 \
    "$1" >/dev/null 2>&1 &
  local pid=$!
  sleep 6
  import -window root "$2"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "wrote $2"
}

shoot "http://intranet.acme.internal/payments/oncall/?team=pay&session=7f3a9c2e8b1d4f6a0c5e9b2d7a4f1e8c" \
  "$here/examples/intranet-dashboard.png"
shoot "http://news.example.com/news/2.4/" "$here/fixtures/release-notes.png"
shoot "http://jump-01.ops.acme.internal/shell/" "$here/fixtures/terminal.png"
