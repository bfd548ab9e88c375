//! Reading and writing still images. Reads are bounded (no decompression bombs); writes go to a
//! private unfinished file in the destination directory ([`crate::partial`]) and are renamed
//! into place only when complete, so an existing output is never replaced by a partial one.

use std::io::{Cursor, Write};
use std::path::Path;

use image::{ImageFormat, ImageReader, Limits};

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, MAX_SIDE};
use crate::partial::Partial;

/// Largest input file read (bytes).
const MAX_FILE_BYTES: u64 = 512 << 20;

pub fn load(path: &Path) -> Result<Frame> {
    let bad = |msg: String| Error::new(ErrorKind::BadInput, msg).with_path(path);
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(bad("is a directory, not an image".into()));
    }
    if meta.len() == 0 {
        return Err(bad("empty file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(bad(format!(
            "file is {} MiB, more than the {} MiB limit",
            meta.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    decode(&bytes).map_err(|e| bad(e.to_string()))
}

/// Decodes PNG, JPEG or WebP bytes (format sniffed from the content).
pub fn decode(bytes: &[u8]) -> Result<Frame> {
    let bad = |msg: String| Error::new(ErrorKind::BadInput, msg);
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| bad(format!("cannot read: {e}")))?;
    if reader.format().is_none() {
        return Err(bad("not a PNG, JPEG or WebP image".into()));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(2 << 30);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| bad(format!("cannot decode image (corrupt or truncated?): {e}")))?;
    let rgba = img.to_rgba8();
    let (w, h) = rgba.dimensions();
    Frame::new(w, h, rgba.into_raw())
}

/// The output format implied by a file name.
pub fn format_for(path: &Path) -> Result<ImageFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => Ok(ImageFormat::Png),
        "jpg" | "jpeg" => Ok(ImageFormat::Jpeg),
        "webp" => Ok(ImageFormat::WebP),
        _ => Err(Error::new(
            ErrorKind::Usage,
            format!(
                "cannot tell the image format of {:?}: use .png, .jpg or .webp",
                path.display().to_string()
            ),
        )),
    }
}

pub fn encode(frame: &Frame, format: ImageFormat) -> Result<Vec<u8>> {
    let img = image::RgbaImage::from_raw(frame.width(), frame.height(), frame.data().to_vec())
        .ok_or_else(|| Error::new(ErrorKind::Output, "frame buffer size mismatch"))?;
    let mut out = Cursor::new(Vec::new());
    let res = match format {
        // JPEG has no alpha channel
        ImageFormat::Jpeg => image::DynamicImage::ImageRgba8(img)
            .to_rgb8()
            .write_to(&mut out, format),
        _ => img.write_to(&mut out, format),
    };
    res.map_err(|e| Error::new(ErrorKind::Output, format!("cannot encode image: {e}")))?;
    Ok(out.into_inner())
}

/// Writes `bytes` to `path` atomically: an unfinished file beside it, created exclusively and
/// private until complete ([`Partial`]), flushed to disk, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut partial = Partial::create(path)?;
    partial.file().write_all(bytes).map_err(|e| {
        Error::new(ErrorKind::Output, format!("cannot write the output (disk full?): {e}")).with_path(path)
    })?;
    partial.complete(path)
}

pub fn save(frame: &Frame, path: &Path) -> Result<()> {
    let bytes = encode(frame, format_for(path)?)?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let f = Frame::filled(7, 5, [10, 20, 30, 255]).unwrap();
        let p = dir.path().join("a.png");
        save(&f, &p).unwrap();
        assert_eq!(load(&p).unwrap(), f);
        // truncated
        let bytes = std::fs::read(&p).unwrap();
        let t = dir.path().join("t.png");
        std::fs::write(&t, &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(load(&t).unwrap_err().kind(), ErrorKind::BadInput);
        // empty, garbage, missing, directory
        let e = dir.path().join("e.png");
        std::fs::write(&e, b"").unwrap();
        assert_eq!(load(&e).unwrap_err().kind(), ErrorKind::BadInput);
        let g = dir.path().join("g.jpg");
        std::fs::write(&g, b"hello, not an image").unwrap();
        assert_eq!(load(&g).unwrap_err().kind(), ErrorKind::BadInput);
        assert_eq!(
            load(&dir.path().join("missing.png")).unwrap_err().kind(),
            ErrorKind::BadInput
        );
        assert_eq!(load(dir.path()).unwrap_err().kind(), ErrorKind::BadInput);
        // no leftovers
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(names.iter().all(|n| !n.to_string_lossy().ends_with(".scrim-partial")));
    }

    #[test]
    fn all_formats_encode() {
        let f = Frame::filled(16, 9, [200, 10, 10, 255]).unwrap();
        for ext in ["png", "jpg", "jpeg", "webp"] {
            let p = std::path::PathBuf::from(format!("x.{ext}"));
            let bytes = encode(&f, format_for(&p).unwrap()).unwrap();
            let back = decode(&bytes).unwrap();
            assert_eq!((back.width(), back.height()), (16, 9));
        }
        assert_eq!(format_for(Path::new("x.gif")).unwrap_err().kind(), ErrorKind::Usage);
    }

    #[test]
    fn huge_dimensions_are_refused() {
        // a PNG header claiming 100000 x 100000 pixels
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(decode(&png).unwrap_err().kind(), ErrorKind::BadInput);
    }
}
