#!/usr/bin/env bash
# A private, headless Wayland desktop with the ScreenCast portal, for tests/wayland.rs and
# benches/portal-static.sh:
#
#   tests/wayland/session.sh [--xwayland] [--size WxH] -- COMMAND [ARGS...]
#
# runs COMMAND inside `unshare --net` (only loopback; nothing reaches the network) and a private
# D-Bus session (dbus-run-session), with PipeWire + WirePlumber, sway headless (pixman renderer,
# one output HEADLESS-1, 1920x1080 unless --size says otherwise; run as `nobody` when started
# by root: sway refuses root), xdg-desktop-portal and the patched xdg-desktop-portal-wlr
# (build-xdpw.sh). COMMAND sees WAYLAND_DISPLAY, SWAYSOCK,
# XDG_RUNTIME_DIR, a private XDG_STATE_HOME, and
#   SCRIM_WL_CHOOSER_LOG  a file the portal's output chooser appends one line to each time it is
#                         shown (it always picks HEADLESS-1): "was the picker shown?" for tests
#   SCRIM_WL_LOGS         the directory with every daemon's log
#   SCRIM_WL_XDPW_PID     the portal backend's process (a test stops it to end the cast)
# With --xwayland, sway also starts XWayland and COMMAND sees its DISPLAY.
# The exit status is COMMAND's. Everything started here is stopped afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ -z "${SCRIM_WL_INSIDE:-}" ]; then
  SCRIM_WL_XDPW="$("$here/build-xdpw.sh")"
  export SCRIM_WL_XDPW SCRIM_WL_INSIDE=1
  if unshare --net true 2>/dev/null; then
    exec unshare --net -- dbus-run-session -- "$0" "$@"
  fi
  # an unprivileged user may still have user namespaces (keeping its own uid: sway refuses 0)
  if unshare --user --map-current-user --net true 2>/dev/null; then
    exec unshare --user --map-current-user --net -- dbus-run-session -- "$0" "$@"
  fi
  echo "session.sh: WARNING: neither 'unshare --net' nor user namespaces are permitted here;" \
    "the desktop runs WITHOUT a private network namespace (loopback-only is not enforced)" >&2
  exec dbus-run-session -- "$0" "$@"
fi

xwayland=disable
size=1920x1080
while [ $# -gt 0 ]; do
  case "$1" in
    --xwayland) xwayland=enable; shift ;;
    --size) size="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "session.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: session.sh [--xwayland] [--size WxH] -- COMMAND [ARGS...]" >&2; exit 2; }

ip link set lo up 2>/dev/null || true
run="$(mktemp -d /tmp/scrim-wayland.XXXXXX)"
chmod 0711 "$run"   # sway (nobody) must reach its runtime directory inside
# root runs sway as nobody (sway refuses root); anyone else runs it as themselves
if [ "$(id -u)" = 0 ]; then
  as_sway=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
  as_sway=()
fi
logs="$run/logs"
mkdir -p "$logs" "$run/config/xdg-desktop-portal-wlr" "$run/data" "$run/state" "$run/portals" "$run/sway-home"
# sway runs as nobody and needs a runtime directory it owns; root's clients reach its sockets anyway
export XDG_RUNTIME_DIR="$run/runtime"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
[ "$(id -u)" = 0 ] && chown nobody:nogroup "$XDG_RUNTIME_DIR" "$run/sway-home"
export XDG_CONFIG_HOME="$run/config" XDG_DATA_HOME="$run/data" XDG_STATE_HOME="$run/state"
export XDG_CURRENT_DESKTOP=sway XDG_SESSION_TYPE=wayland
unset DISPLAY WAYLAND_DISPLAY SWAYSOCK
export SCRIM_WL_LOGS="$logs" SCRIM_WL_CHOOSER_LOG="$run/chooser.log"

pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${SCRIM_WL_KEEP:-}" ] && echo "session.sh: kept $run" >&2 || rm -rf "$run"
}
trap cleanup EXIT

fail() {
  echo "session.sh: $1" >&2
  for f in "$logs"/*.log; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done
  exit 1
}
# Polls a condition (every 50 ms, up to 30 s): no fixed sleeps.
wait_for() {
  local what="$1"; shift
  for _ in $(seq 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  fail "$what did not come up within 30 s"
}
bus_name() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" | grep -q 'boolean true'
}

pipewire >"$logs/pipewire.log" 2>&1 & pids+=($!)
wait_for "pipewire" test -S "$XDG_RUNTIME_DIR/pipewire-0"
wireplumber >"$logs/wireplumber.log" 2>&1 & pids+=($!)

cat >"$run/sway.config" <<EOF
output HEADLESS-1 mode $size position 0 0 bg #ffffff solid_color
xwayland $xwayland
default_border none
EOF
"${as_sway[@]}" \
  env HOME="$run/sway-home" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
  WLR_HEADLESS_OUTPUTS=1 sway -c "$run/sway.config" >"$logs/sway.log" 2>&1 & pids+=($!)
wait_for "sway" compgen -G "$XDG_RUNTIME_DIR/sway-ipc.*.sock"
SWAYSOCK="$(compgen -G "$XDG_RUNTIME_DIR/sway-ipc.*.sock" | head -n1)"
export SWAYSOCK
wait_for "sway's Wayland socket" compgen -G "$XDG_RUNTIME_DIR/wayland-[0-9]"
WAYLAND_DISPLAY="$(basename "$(compgen -G "$XDG_RUNTIME_DIR/wayland-[0-9]" | head -n1)")"
export WAYLAND_DISPLAY
wait_for "sway's output HEADLESS-1" sh -c 'swaymsg -t get_outputs | grep -q HEADLESS-1'
if [ "$xwayland" = enable ]; then
  # sway sets DISPLAY for what it runs once XWayland listens: ask a child of sway, which also
  # lets root's clients in (XWayland admits only its own user's local connections)
  touch "$run/display"; [ "$(id -u)" = 0 ] && chown nobody "$run/display"
  swaymsg -q exec "xhost +si:localuser:root >/dev/null && echo \$DISPLAY > $run/display"
  wait_for "XWayland" grep -q ':[0-9]' "$run/display"
  DISPLAY="$(cat "$run/display")"
  export DISPLAY
fi

# the portal's output chooser: note that it was shown, pick the one output
cat >"$run/chooser.sh" <<EOF
#!/bin/sh
echo "chooser shown" >>"$SCRIM_WL_CHOOSER_LOG"
echo HEADLESS-1
EOF
chmod +x "$run/chooser.sh"
cat >"$XDG_CONFIG_HOME/xdg-desktop-portal-wlr/config" <<EOF
[screencast]
output_name=HEADLESS-1
chooser_type=simple
chooser_cmd=$run/chooser.sh
EOF
"$SCRIM_WL_XDPW" -l DEBUG -c "$XDG_CONFIG_HOME/xdg-desktop-portal-wlr/config" >"$logs/xdpw.log" 2>&1 & pids+=($!)
export SCRIM_WL_XDPW_PID=$!
wait_for "xdg-desktop-portal-wlr" bus_name org.freedesktop.impl.portal.desktop.wlr

# only the wlr backend, from a private portal directory (whatever else is installed is ignored)
cat >"$run/portals/wlr.portal" <<EOF
[portal]
DBusName=org.freedesktop.impl.portal.desktop.wlr
Interfaces=org.freedesktop.impl.portal.Screenshot;org.freedesktop.impl.portal.ScreenCast;
UseIn=wlroots;sway;
EOF
XDG_DESKTOP_PORTAL_DIR="$run/portals" /usr/libexec/xdg-desktop-portal -r >"$logs/portal.log" 2>&1 & pids+=($!)
wait_for "xdg-desktop-portal" bus_name org.freedesktop.portal.Desktop

set +e
"$@"
rc=$?
set -e
exit $rc
