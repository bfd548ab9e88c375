//! A webcam through nokhwa (V4L2 on Linux). The camera lives on its own thread, since a driver
//! read blocks and a camera handle need not be `Send`; the source hands out the newest frame.
//! Frames are decoded here (YUYV, NV12, MJPEG via `image`, grey, raw RGB/BGR), so no C codec
//! library is linked for it.

use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use nokhwa::utils::{CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType};
use nokhwa::Buffer;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;

use super::source::Source;

/// Formats asked of the camera, those decoded below; the highest frame rate among them wins.
const FORMATS: [FrameFormat; 6] = [
    FrameFormat::YUYV,
    FrameFormat::MJPEG,
    FrameFormat::NV12,
    FrameFormat::GRAY,
    FrameFormat::RAWRGB,
    FrameFormat::RAWBGR,
];

/// A camera that sends nothing for this long is reported as lost (placeholder shown).
const STALL: Duration = Duration::from_secs(2);

pub struct WebcamSource {
    frames: Receiver<Result<Frame>>,
    name: String,
}

impl WebcamSource {
    /// Opens camera `index` (`/dev/video{index}`) at its highest frame rate, at most `fps`
    /// asked for when the camera offers it.
    pub fn open(index: u32, fps: u32) -> Result<Self> {
        let (ready_tx, ready_rx) = sync_channel::<std::result::Result<String, String>>(1);
        let (tx, frames) = sync_channel::<Result<Frame>>(2);
        std::thread::Builder::new()
            .name("scrim-webcam".into())
            .spawn(move || {
                let req = RequestedFormat::with_formats(RequestedFormatType::AbsoluteHighestFrameRate, &FORMATS);
                let opened = nokhwa::Camera::new(CameraIndex::Index(index), req).and_then(|mut cam| {
                    // best effort: a camera that cannot do `fps` keeps its own rate
                    let _ = cam.set_frame_rate(fps);
                    cam.open_stream()?;
                    Ok(cam)
                });
                let mut cam = match opened {
                    Ok(cam) => {
                        let f = cam.camera_format();
                        let name = format!(
                            "camera {} ({}, {}, {} fps)",
                            index,
                            cam.info().human_name(),
                            f.resolution(),
                            f.frame_rate()
                        );
                        let _ = ready_tx.send(Ok(name));
                        cam
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                loop {
                    let frame = cam
                        .frame()
                        .map_err(|e| Error::new(ErrorKind::BadInput, format!("the camera stopped: {e}")))
                        .and_then(|b| decode(&b));
                    let failed = frame.is_err();
                    if tx.send(frame).is_err() || failed {
                        let _ = cam.stop_stream();
                        return;
                    }
                }
            })
            .map_err(|e| Error::new(ErrorKind::BadInput, format!("cannot start the camera thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok(name)) => Ok(WebcamSource { frames, name }),
            Ok(Err(e)) => Err(Error::new(
                ErrorKind::BadInput,
                format!("cannot open camera {index}: {e} (is it plugged in? `ls /dev/video*` lists cameras)"),
            )),
            Err(_) => Err(Error::new(ErrorKind::BadInput, format!("cannot open camera {index}"))),
        }
    }
}

impl Source for WebcamSource {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>> {
        let mut newest = match self.frames.recv_timeout(STALL) {
            Ok(f) => f,
            Err(RecvTimeoutError::Timeout) => {
                return Err(Error::new(ErrorKind::BadInput, "the camera sent nothing for 2 s"))
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Error::new(ErrorKind::BadInput, "the camera is gone (unplugged?)"))
            }
        };
        // frames that queued while the pipeline was busy are stale: keep the newest
        while let Ok(f) = self.frames.try_recv() {
            newest = f;
        }
        newest.map(|f| Some(Arc::new(f)))
    }
}

/// A camera buffer as RGBA.
pub fn decode(b: &Buffer) -> Result<Frame> {
    let res = b.resolution();
    let (w, h) = (res.width(), res.height());
    let bytes = b.buffer();
    let px = w as usize * h as usize;
    let short = |need: usize| {
        Error::new(
            ErrorKind::BadInput,
            format!(
                "camera frame {w}x{h} {}: {} bytes, {need} expected",
                b.source_frame_format(),
                bytes.len()
            ),
        )
    };
    let mut out = vec![255u8; px * 4];
    match b.source_frame_format() {
        FrameFormat::YUYV => {
            let need = px * 2;
            if bytes.len() < need || w % 2 == 1 {
                return Err(short(need));
            }
            // Y0 U Y1 V: two pixels per four bytes
            for (src, dst) in bytes[..need].chunks_exact(4).zip(out.chunks_exact_mut(8)) {
                let (u, v) = (src[1], src[3]);
                dst[..3].copy_from_slice(&bt601(src[0], u, v));
                dst[4..7].copy_from_slice(&bt601(src[2], u, v));
            }
        }
        FrameFormat::NV12 => {
            let need = px + (w as usize).div_ceil(2) * 2 * (h as usize).div_ceil(2);
            if bytes.len() < need {
                return Err(short(need));
            }
            let stride = (w as usize).div_ceil(2) * 2;
            for y in 0..h as usize {
                for x in 0..w as usize {
                    let c = px + (y / 2) * stride + (x / 2) * 2;
                    let i = (y * w as usize + x) * 4;
                    out[i..i + 3].copy_from_slice(&bt601(bytes[y * w as usize + x], bytes[c], bytes[c + 1]));
                }
            }
        }
        FrameFormat::GRAY => {
            if bytes.len() < px {
                return Err(short(px));
            }
            for (g, dst) in bytes.iter().zip(out.chunks_exact_mut(4)) {
                dst[..3].fill(*g);
            }
        }
        f @ (FrameFormat::RAWRGB | FrameFormat::RAWBGR) => {
            if bytes.len() < px * 3 {
                return Err(short(px * 3));
            }
            for (src, dst) in bytes.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
                dst[..3].copy_from_slice(src);
                if f == FrameFormat::RAWBGR {
                    dst.swap(0, 2);
                }
            }
        }
        FrameFormat::MJPEG => {
            let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
                .map_err(|e| Error::new(ErrorKind::BadInput, format!("camera JPEG frame: {e}")))?
                .to_rgba8();
            let (w, h) = img.dimensions();
            return Frame::new(w, h, img.into_raw());
        }
    }
    Frame::new(w, h, out)
}

/// Limited-range BT.601 (what webcams send) to RGB.
fn bt601(y: u8, u: u8, v: u8) -> [u8; 3] {
    let (y, u, v) = ((y as i32 - 16) * 298, u as i32 - 128, v as i32 - 128);
    let c = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
    [c(y + 409 * v), c(y - 100 * u - 208 * v), c(y + 516 * u)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use nokhwa::utils::Resolution;

    #[test]
    fn camera_formats_decode_to_rgba() {
        // YUYV: white then black
        let yuyv = Buffer::new(Resolution::new(2, 1), &[235, 128, 16, 128], FrameFormat::YUYV);
        let f = decode(&yuyv).unwrap();
        assert_eq!(f.pixel(0, 0), [255, 255, 255, 255]);
        assert_eq!(f.pixel(1, 0), [0, 0, 0, 255]);
        // NV12 2x2, red-ish chroma
        let nv12 = Buffer::new(Resolution::new(2, 2), &[81, 81, 81, 81, 90, 240], FrameFormat::NV12);
        let p = decode(&nv12).unwrap().pixel(1, 1);
        assert!(p[0] > 240 && p[1] < 10 && p[2] < 10, "{p:?}");
        let bgr = Buffer::new(Resolution::new(1, 1), &[1, 2, 3], FrameFormat::RAWBGR);
        assert_eq!(decode(&bgr).unwrap().pixel(0, 0), [3, 2, 1, 255]);
        let grey = Buffer::new(Resolution::new(1, 1), &[7], FrameFormat::GRAY);
        assert_eq!(decode(&grey).unwrap().pixel(0, 0), [7, 7, 7, 255]);
        // a JPEG the image crate wrote
        let src = Frame::filled(16, 8, [200, 30, 30, 255]).unwrap();
        let jpeg = crate::imageio::encode(&src, image::ImageFormat::Jpeg).unwrap();
        let j = decode(&Buffer::new(Resolution::new(16, 8), &jpeg, FrameFormat::MJPEG)).unwrap();
        assert_eq!((j.width(), j.height()), (16, 8));
        assert!(j.pixel(4, 4)[0] > 180 && j.pixel(4, 4)[1] < 60);
        // truncated buffers are errors, not panics
        let cut = Buffer::new(Resolution::new(4, 4), &[0; 10], FrameFormat::YUYV);
        assert_eq!(decode(&cut).unwrap_err().kind(), ErrorKind::BadInput);
        let cut = Buffer::new(Resolution::new(4, 4), &[0; 10], FrameFormat::NV12);
        assert_eq!(decode(&cut).unwrap_err().kind(), ErrorKind::BadInput);
        let bad = Buffer::new(Resolution::new(4, 4), &[0; 10], FrameFormat::MJPEG);
        assert_eq!(decode(&bad).unwrap_err().kind(), ErrorKind::BadInput);
    }

    #[test]
    fn a_missing_camera_is_a_clear_error() {
        // no camera index this high exists on any machine the tests run on
        let e = WebcamSource::open(97, 30).err().expect("no camera 97");
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(e.to_string().contains("camera 97"), "{e}");
    }
}
