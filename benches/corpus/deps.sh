#!/usr/bin/env bash
# What the corpus generator and scorer need on Debian 12: the applications it renders through,
# fonts, the X server and tools, Tesseract, and a private Python venv (out/corpus-venv).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
packages="xvfb openbox xdotool ffmpeg tesseract-ocr tesseract-ocr-eng python3-venv chromium firefox-esr
  libreoffice-calc libreoffice-gtk3 mousepad xterm rxvt-unicode lxterminal xfce4-terminal
  fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-liberation2 fonts-noto-core fonts-noto-mono fonts-urw-base35"
missing=""
for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "corpus: installing$missing" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi
venv="$root/out/corpus-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import PIL, rapidfuzz, phonenumbers' 2>/dev/null ||
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
