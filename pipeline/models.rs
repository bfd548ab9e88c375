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
pub const OCR_REC_MODEL: &str = "ppocrv6_tiny_rec.onnx";
pub const OCR_DICT: &str = "ppocrv6_tiny_dict.txt";

/// The directory the models are looked up in: `$SCRIM_MODEL_DIR`, else
/// `$XDG_CACHE_HOME/scrim/models`, else `~/.cache/scrim/models` (where `models/fetch.sh` puts them).
pub fn default_model_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SCRIM_MODEL_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("scrim").join("models")
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
        builder
            .with_name("scrim")
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
    let mut builder = builder.with_intra_threads(threads.max(1)).map_err(|e| err(&e))?;
    builder.commit_from_file(&path).map_err(|e| err(&e))
}

/// Number of threads inference uses by default: all cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

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
    pub detail: String,
}

pub fn inventory(models: &ModelDir) -> Inventory {
    let mut components = Vec::new();
    let lib = models.ort_library();
    let lib_detail = match runtime(models) {
        Ok(_) => format!("ONNX Runtime {} (loaded)", ort::info()),
        Err(e) => format!("not loadable: {e}"),
    };
    components.push(Component {
        name: "onnxruntime".into(),
        present: lib.is_file(),
        path: lib,
        detail: lib_detail,
    });
    for (name, what) in [
        (OCR_DET_MODEL, "PP-OCRv6 tiny text detection (DB)"),
        (OCR_REC_MODEL, "PP-OCRv6 tiny text recognition (CTC)"),
        (OCR_DICT, "PP-OCRv6 tiny character dictionary"),
    ] {
        let path = models.root.join(name);
        let present = path.is_file();
        let detail = if present {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            format!("{what}, {size} bytes")
        } else {
            format!("{what}: missing, run `{}`", crate::error::FETCH_COMMAND)
        };
        components.push(Component {
            name: name.into(),
            path,
            present,
            detail,
        });
    }
    Inventory {
        model_dir: models.root.clone(),
        components,
    }
}
