//! One opaque error type with a [`ErrorKind`]: callers match on kinds, never on message text.

use std::fmt;
use std::path::PathBuf;

/// What went wrong, in terms a caller can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The ONNX Runtime library or a model file is missing or unusable. Fix: run the fetch command.
    ModelMissing,
    /// A model loaded but failed while running. Detection fails closed on this.
    Inference,
    /// An input image (or other input) could not be read or decoded.
    BadInput,
    /// The policy file is malformed or has an unknown key or bad value.
    Policy,
    /// Writing an output failed (disk full, permissions, ...).
    Output,
    /// Command-line usage that cannot be satisfied.
    Usage,
    /// The user stopped the job (Ctrl-C) before it finished.
    Interrupted,
    /// The consumer of a live output went away (a closed pipe or window), or a live source for
    /// good (its X server).
    Closed,
}

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    path: Option<PathBuf>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The command that installs the runtime and models; every "missing model" error names it.
pub const FETCH_COMMAND: &str = "models/fetch.sh";

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            path: None,
        }
    }

    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    pub(crate) fn model_missing(what: &str, path: &std::path::Path) -> Self {
        Error::new(
            ErrorKind::ModelMissing,
            format!(
                "{what} not found at {}; run `{FETCH_COMMAND}` (or set SCRIM_MODEL_DIR to where it put them)",
                path.display()
            ),
        )
        .with_path(path)
    }

    pub(crate) fn inference(e: impl fmt::Display) -> Self {
        Error::new(ErrorKind::Inference, format!("model inference failed: {e}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            // Model errors already name their path in the message.
            Some(p) if self.kind != ErrorKind::ModelMissing => {
                write!(f, "{}: {}", p.display(), self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}
