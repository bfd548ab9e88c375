//! A v4l2loopback output device as a sink (the virtual camera on desktops that load the module):
//! set the output format once with `VIDIOC_S_FMT`, then `write()` one I420 frame per frame.
//!
//! These machines' kernel has no V4L2 at all, so the device path cannot run here; what can be
//! tested is: the ioctl numbers and structure layouts (checked against the kernel's values), and
//! the errors for a missing device or a file that is not one. Manual check on a desktop:
//! `sudo modprobe v4l2loopback devices=1 video_nr=10 card_label=scrim exclusive_caps=1`, then
//! `scrim live --source screen --sink v4l2:/dev/video10` and open "scrim" in a meeting app.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::sink::{I420Cache, Sink};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;
use crate::video::yuv::i420_len;

/// `_IOR('V', 0, struct v4l2_capability)` (104 bytes).
pub const VIDIOC_QUERYCAP: u64 = ioc(2, b'V', 0, CAPABILITY_SIZE);
/// `_IOWR('V', 5, struct v4l2_format)` (208 bytes on 64-bit).
pub const VIDIOC_S_FMT: u64 = ioc(3, b'V', 5, FORMAT_SIZE);
const CAPABILITY_SIZE: usize = 104;
const FORMAT_SIZE: usize = 208;
const BUF_TYPE_VIDEO_OUTPUT: u32 = 2;
const CAP_VIDEO_OUTPUT: u32 = 0x0000_0002;
const CAP_DEVICE_CAPS: u32 = 0x8000_0000;
const FIELD_NONE: u32 = 1;
const COLORSPACE_REC709: u32 = 3;
/// 'YU12': planar I420.
pub const PIX_FMT_YUV420: u32 = u32::from_le_bytes(*b"YU12");

const fn ioc(dir: u64, ty: u8, nr: u8, size: usize) -> u64 {
    (dir << 30) | ((size as u64) << 16) | ((ty as u64) << 8) | nr as u64
}

/// `struct v4l2_format` for an output of `w` x `h` I420 frames.
pub fn output_format(w: u32, h: u32) -> [u8; FORMAT_SIZE] {
    let mut f = [0u8; FORMAT_SIZE];
    f[0..4].copy_from_slice(&BUF_TYPE_VIDEO_OUTPUT.to_ne_bytes());
    // the union starts at 8 (it holds pointers); v4l2_pix_format's fields in order
    let pix = [
        w,
        h,
        PIX_FMT_YUV420,
        FIELD_NONE,
        w,
        i420_len(w, h) as u32,
        COLORSPACE_REC709,
    ];
    for (i, v) in pix.iter().enumerate() {
        f[8 + i * 4..12 + i * 4].copy_from_slice(&v.to_ne_bytes());
    }
    f
}

pub struct V4l2Sink {
    path: PathBuf,
    dev: Option<File>,
    size: Option<(u32, u32)>,
    yuv: I420Cache,
}

impl V4l2Sink {
    /// Opens the device and checks it is a video output (fails clearly if not).
    pub fn open(path: &Path) -> Result<Self> {
        let dev = OpenOptions::new().read(true).write(true).open(path).map_err(|e| {
            Error::new(
                ErrorKind::Usage,
                format!(
                    "--sink v4l2:{}: {e}; load the module first: sudo modprobe v4l2loopback devices=1 \
video_nr=10 card_label=scrim exclusive_caps=1",
                    path.display()
                ),
            )
        })?;
        let mut cap = [0u8; CAPABILITY_SIZE];
        // SAFETY: the buffer is exactly sizeof(struct v4l2_capability), as the request encodes
        let r = unsafe { libc::ioctl(dev.as_raw_fd(), VIDIOC_QUERYCAP as _, cap.as_mut_ptr()) };
        let word = |o: usize| u32::from_ne_bytes([cap[o], cap[o + 1], cap[o + 2], cap[o + 3]]);
        let caps = if word(84) & CAP_DEVICE_CAPS != 0 {
            word(88)
        } else {
            word(84)
        };
        if r != 0 || caps & CAP_VIDEO_OUTPUT == 0 {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("--sink v4l2:{}: not a V4L2 video output device", path.display()),
            ));
        }
        Ok(V4l2Sink {
            path: path.to_path_buf(),
            dev: Some(dev),
            size: None,
            yuv: I420Cache::default(),
        })
    }
}

impl Sink for V4l2Sink {
    fn describe(&self) -> String {
        format!("v4l2loopback {}", self.path.display())
    }

    fn write(&mut self, frame: &Arc<Frame>, _pts: Duration) -> Result<()> {
        let (w, h) = (frame.width() & !1, frame.height() & !1);
        let dev = self.dev.as_mut().expect("open until finish");
        match self.size {
            None => {
                let mut fmt = output_format(w, h);
                // SAFETY: the buffer is exactly sizeof(struct v4l2_format), as the request encodes
                let r = unsafe { libc::ioctl(dev.as_raw_fd(), VIDIOC_S_FMT as _, fmt.as_mut_ptr()) };
                if r != 0 {
                    return Err(Error::new(
                        ErrorKind::Output,
                        format!(
                            "{}: the device refused {w}x{h} I420: {}",
                            self.path.display(),
                            std::io::Error::last_os_error()
                        ),
                    ));
                }
                self.size = Some((w, h));
            }
            Some(s) if s != (w, h) => {
                return Err(Error::new(ErrorKind::Output, "the source changed size (restart scrim)"));
            }
            _ => {}
        }
        let yuv = self.yuv.of(frame, true)?;
        dev.write_all(yuv.data())
            .map_err(|e| Error::new(ErrorKind::Output, format!("{}: {e}", self.path.display())))
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.dev = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioctl_numbers_and_layout_match_the_kernel() {
        // values from <linux/videodev2.h> on x86_64
        assert_eq!(VIDIOC_QUERYCAP, 0x8068_5600);
        assert_eq!(VIDIOC_S_FMT, 0xC0D0_5605);
        assert_eq!(PIX_FMT_YUV420, 0x3231_5559);
        let f = output_format(1280, 720);
        let word = |o: usize| u32::from_ne_bytes([f[o], f[o + 1], f[o + 2], f[o + 3]]);
        assert_eq!(word(0), 2);
        assert_eq!((word(8), word(12), word(16)), (1280, 720, PIX_FMT_YUV420));
        assert_eq!((word(24), word(28)), (1280, 1280 * 720 * 3 / 2));
    }

    #[test]
    fn missing_devices_and_non_devices_are_clear_errors() {
        let e = V4l2Sink::open(Path::new("/dev/video-does-not-exist")).err().unwrap();
        assert!(e.to_string().contains("modprobe v4l2loopback"), "{e}");
        let f = tempfile::NamedTempFile::new().unwrap();
        let e = V4l2Sink::open(f.path()).err().unwrap();
        assert!(e.to_string().contains("not a V4L2 video output device"), "{e}");
    }
}
