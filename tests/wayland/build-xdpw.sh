#!/usr/bin/env bash
# Builds xdg-desktop-portal-wlr 0.7.0 from Debian 12's own source with one change
# (xdpw-shm-only.patch): stock 0.7.0 refuses to start a screencast when the compositor offers
# no DMA-BUF format, which is always the case without /dev/dri (sway's pixman renderer); the
# shared-memory path it then uses works. Machines with a render node do not need this.
#
# Idempotent: the binary is cached under $XDPW_CACHE (default ~/.cache/scrim/xdpw) with a stamp
# of the patch; a second run with the same patch does nothing. Prints the binary's path.
# Needs: dpkg-dev (apt-get source), meson, ninja-build and the package's build dependencies
# (the Makefile's WAYLAND_PACKAGES).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${XDPW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scrim/xdpw}"
patch="$here/xdpw-shm-only.patch"
stamp="0.7.0-1 $(sha256sum "$patch" | cut -d' ' -f1)"
bin="$cache/xdg-desktop-portal-wlr"
if [ -x "$bin" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$bin"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A private apt configuration with a deb-src line: the system's sources stay untouched. apt
# checks the source package against the signed Release file.
mkdir -p "$work/lists/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
  > "$work/sources.list"
apt_private=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o APT::Sandbox::User=root)
apt-get -qq "${apt_private[@]}" update >&2
(cd "$work" && apt-get -qq "${apt_private[@]}" source xdg-desktop-portal-wlr=0.7.0-1 >&2)
src="$work/xdg-desktop-portal-wlr-0.7.0"
patch -d "$src" -p1 --quiet < "$patch"
meson setup -Dman-pages=disabled -Dsystemd=disabled "$src/build" "$src" >&2
ninja -C "$src/build" >&2
mkdir -p "$cache"
install -m 0755 "$src/build/xdg-desktop-portal-wlr" "$bin.new"
mv "$bin.new" "$bin"
echo "$stamp" > "$cache/stamp"
echo "$bin"
