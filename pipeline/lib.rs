//! scrim: find and redact what must not be seen in screenshots, screen shares and recordings.
//!
//! The still-image pipeline: [`imageio::load`] a [`Frame`], [`analyze::Analyzer`] finds
//! [`region::Region`]s (OCR + [`classify`] + [`addressbar`]), a [`redact::Redactor`] covers them
//! as the [`policy::Policy`] says, and [`report`] tells a person what was done.

pub mod addressbar;
pub mod analyze;
pub mod camera;
pub mod classify;
pub mod error;
pub mod font;
pub mod frame;
pub mod gate;
pub mod imageio;
pub mod layout;
pub mod live;
pub mod models;
pub mod ocr;
pub mod partial;
pub mod policy;
pub mod process;
pub mod redact;
pub mod region;
pub mod report;
pub mod resize;
pub mod still;
pub mod stream;
pub mod temporal;
pub mod video;

pub use error::{Error, ErrorKind, Result};
pub use frame::{Frame, Rect};
