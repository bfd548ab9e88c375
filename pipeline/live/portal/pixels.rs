//! The pixels of a PipeWire video buffer turned into an RGBA [`Frame`]: the formats scrim
//! negotiates, each plane checked against the memory PipeWire mapped (offset, stride, size)
//! before a byte is read, and the crop the producer asks for. Nothing here trusts the producer:
//! a buffer that does not hold what its format says is an error, never a panic or a read out of
//! bounds.

use rayon::prelude::*;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect, MAX_SIDE};
use crate::video::yuv::{i420_len, Matrix, Yuv420};

/// A video format scrim can read. Names are SPA's (and GStreamer's): the byte order in memory,
/// `x` a padding byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    Bgrx,
    Rgbx,
    Bgra,
    Rgba,
    Xrgb,
    Xbgr,
    Argb,
    Abgr,
    Rgb,
    Bgr,
    I420,
    Nv12,
}

impl PixelFormat {
    /// In the order offered to the producer: what compositors render natively first (no
    /// conversion on their side), then the others, YUV last (it loses colour detail on text).
    pub const OFFERED: [PixelFormat; 12] = [
        PixelFormat::Bgrx,
        PixelFormat::Bgra,
        PixelFormat::Rgbx,
        PixelFormat::Rgba,
        PixelFormat::Xrgb,
        PixelFormat::Xbgr,
        PixelFormat::Argb,
        PixelFormat::Abgr,
        PixelFormat::Rgb,
        PixelFormat::Bgr,
        PixelFormat::I420,
        PixelFormat::Nv12,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PixelFormat::Bgrx => "BGRx",
            PixelFormat::Rgbx => "RGBx",
            PixelFormat::Bgra => "BGRA",
            PixelFormat::Rgba => "RGBA",
            PixelFormat::Xrgb => "xRGB",
            PixelFormat::Xbgr => "xBGR",
            PixelFormat::Argb => "ARGB",
            PixelFormat::Abgr => "ABGR",
            PixelFormat::Rgb => "RGB",
            PixelFormat::Bgr => "BGR",
            PixelFormat::I420 => "I420",
            PixelFormat::Nv12 => "NV12",
        }
    }

    /// Planes a picture of this format has.
    pub fn planes(self) -> usize {
        match self {
            PixelFormat::I420 => 3,
            PixelFormat::Nv12 => 2,
            _ => 1,
        }
    }

    /// `(bytes per pixel, [where R, G, B are in a pixel])` of a packed format. Alpha is ignored:
    /// a screen is opaque, and a transparent pixel must not hide what a viewer would see.
    fn packed(self) -> Option<(usize, [usize; 3])> {
        Some(match self {
            PixelFormat::Bgrx | PixelFormat::Bgra => (4, [2, 1, 0]),
            PixelFormat::Rgbx | PixelFormat::Rgba => (4, [0, 1, 2]),
            PixelFormat::Xrgb | PixelFormat::Argb => (4, [1, 2, 3]),
            PixelFormat::Xbgr | PixelFormat::Abgr => (4, [3, 2, 1]),
            PixelFormat::Rgb => (3, [0, 1, 2]),
            PixelFormat::Bgr => (3, [2, 1, 0]),
            PixelFormat::I420 | PixelFormat::Nv12 => return None,
        })
    }

    /// Bytes of one row of plane `plane` of a picture `width` wide, and how many rows it has.
    fn plane_shape(self, plane: usize, width: u32, height: u32) -> (usize, usize) {
        let (w, h) = (width as usize, height as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        match (self, plane) {
            (PixelFormat::I420 | PixelFormat::Nv12, 0) => (w, h),
            (PixelFormat::I420, _) => (cw, ch),
            (PixelFormat::Nv12, _) => (2 * cw, ch),
            (f, _) => (w * f.packed().map_or(4, |p| p.0), h),
        }
    }
}

/// One plane of a buffer as PipeWire hands it over: the mapped memory, where the plane's first
/// row starts in it, and the distance between rows.
#[derive(Debug, Clone, Copy)]
pub struct Plane<'a> {
    pub data: &'a [u8],
    pub offset: usize,
    pub stride: usize,
}

/// What a buffer says it holds.
#[derive(Debug)]
pub struct Picture<'a> {
    pub format: PixelFormat,
    pub width: u32,
    pub height: u32,
    pub planes: Vec<Plane<'a>>,
}

fn bad(m: String) -> Error {
    Error::new(ErrorKind::BadInput, format!("screen-cast buffer: {m}"))
}

impl<'a> Picture<'a> {
    /// A multi-planar picture that came in one block of memory (some producers put every plane
    /// in the buffer's first data): the planes follow each other, each chroma row half as long
    /// as a luma row for I420, as long for NV12.
    pub fn split_single(format: PixelFormat, width: u32, height: u32, block: Plane<'a>) -> Picture<'a> {
        let h = height as usize;
        let ch = h.div_ceil(2);
        let planes = match format {
            PixelFormat::I420 => {
                let cs = block.stride.div_ceil(2);
                let u = block.offset + block.stride * h;
                vec![
                    block,
                    Plane {
                        offset: u,
                        stride: cs,
                        ..block
                    },
                    Plane {
                        offset: u + cs * ch,
                        stride: cs,
                        ..block
                    },
                ]
            }
            PixelFormat::Nv12 => vec![
                block,
                Plane {
                    offset: block.offset + block.stride * h,
                    ..block
                },
            ],
            _ => vec![block],
        };
        Picture {
            format,
            width,
            height,
            planes,
        }
    }

    /// Checks the size and every plane against its memory; the stride may be 0 ("packed").
    fn checked(&self) -> Result<Vec<Plane<'a>>> {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
            return Err(bad(format!("{w}x{h} is not a picture size scrim accepts")));
        }
        if self.planes.len() < self.format.planes() {
            return Err(bad(format!(
                "{} needs {} planes, the buffer has {}",
                self.format.name(),
                self.format.planes(),
                self.planes.len()
            )));
        }
        let mut out = Vec::new();
        for (i, p) in self.planes.iter().take(self.format.planes()).enumerate() {
            let (row, rows) = self.format.plane_shape(i, w, h);
            let stride = if p.stride == 0 { row } else { p.stride };
            if stride < row {
                return Err(bad(format!(
                    "plane {i}: stride {stride} is shorter than a {}-byte row of {}x{h} {}",
                    row,
                    w,
                    self.format.name()
                )));
            }
            let end = p.offset as u128 + stride as u128 * (rows as u128 - 1) + row as u128;
            if end > p.data.len() as u128 {
                return Err(bad(format!(
                    "plane {i}: {w}x{h} {} at offset {} with stride {stride} needs {end} bytes, the buffer has {}",
                    self.format.name(),
                    p.offset,
                    p.data.len()
                )));
            }
            out.push(Plane { stride, ..*p });
        }
        Ok(out)
    }
}

/// The crop a producer asked for (`SPA_META_VideoCrop`), checked against the picture: `None`
/// (and a reason) when it does not lie inside it. No crop, or an empty one, is the whole picture.
pub fn crop_rect(crop: Option<(i32, i32, u32, u32)>, width: u32, height: u32) -> std::result::Result<Rect, String> {
    let whole = Rect::new(0, 0, width, height);
    let Some((x, y, w, h)) = crop else { return Ok(whole) };
    if w == 0 || h == 0 {
        return Ok(whole);
    }
    if x < 0 || y < 0 || x as u64 + w as u64 > width as u64 || y as u64 + h as u64 > height as u64 {
        return Err(format!(
            "the producer's crop {w}x{h} at {x},{y} is not inside its {width}x{height} buffer"
        ));
    }
    Ok(Rect::new(x as u32, y as u32, w, h))
}

/// Copies one packed row into RGBA; the layout is constant so the loop vectorises.
fn swizzle<const BPP: usize, const R: usize, const G: usize, const B: usize>(src: &[u8], dst: &mut [u8]) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(BPP)) {
        d[0] = s[R];
        d[1] = s[G];
        d[2] = s[B];
        d[3] = 255;
    }
}

type RowFn = fn(&[u8], &mut [u8]);

fn row_fn(bpp: usize, rgb: [usize; 3]) -> RowFn {
    match (bpp, rgb) {
        (4, [2, 1, 0]) => swizzle::<4, 2, 1, 0>,
        (4, [0, 1, 2]) => swizzle::<4, 0, 1, 2>,
        (4, [1, 2, 3]) => swizzle::<4, 1, 2, 3>,
        (4, [3, 2, 1]) => swizzle::<4, 3, 2, 1>,
        (3, [0, 1, 2]) => swizzle::<3, 0, 1, 2>,
        (3, [2, 1, 0]) => swizzle::<3, 2, 1, 0>,
        _ => unreachable!("every packed format has its row function"),
    }
}

/// The picture inside `crop` (see [`crop_rect`]; must lie inside the picture) as RGBA. `reuse`,
/// a frame of the crop's size nobody else holds, is written over instead of allocating: a fresh
/// 8 MB frame costs more in page faults than the conversion.
pub fn to_frame(pic: &Picture, crop: Rect, reuse: Option<Frame>) -> Result<Frame> {
    let planes = pic.checked()?;
    if crop.is_empty() || !Rect::new(0, 0, pic.width, pic.height).contains(crop) {
        return Err(bad(format!("crop {crop:?} outside {}x{}", pic.width, pic.height)));
    }
    let Some((bpp, rgb)) = pic.format.packed() else {
        return yuv_frame(pic, &planes, crop);
    };
    let mut out = match reuse {
        Some(f) if (f.width(), f.height()) == (crop.w, crop.h) => f,
        _ => Frame::filled(crop.w, crop.h, [0, 0, 0, 255])?,
    };
    let p = planes[0];
    let convert = row_fn(bpp, rgb);
    let (x0, y0, w) = (crop.x as usize, crop.y as usize, crop.w as usize);
    out.data_mut().par_chunks_mut(w * 4).enumerate().for_each(|(row, dst)| {
        let start = p.offset + (y0 + row) * p.stride + x0 * bpp;
        convert(&p.data[start..start + w * bpp], dst);
    });
    Ok(out)
}

/// I420 and NV12: gathered into scrim's packed I420 (the rows, without their padding), converted
/// by the video code's converter (BT.709 for HD, BT.601 below, limited range: what producers
/// send when they do not say), then cropped.
fn yuv_frame(pic: &Picture, planes: &[Plane], crop: Rect) -> Result<Frame> {
    let (w, h) = (pic.width, pic.height);
    let mut data = Vec::with_capacity(i420_len(w, h));
    // (start, length) of each of a plane's `n` rows of `row` bytes
    fn rows(p: &Plane, row: usize, n: usize) -> impl Iterator<Item = (usize, usize)> {
        let (offset, stride) = (p.offset, p.stride);
        (0..n).map(move |r| (offset + r * stride, row))
    }
    let (yrow, yn) = PixelFormat::I420.plane_shape(0, w, h);
    for (s, len) in rows(&planes[0], yrow, yn) {
        data.extend_from_slice(&planes[0].data[s..s + len]);
    }
    let (crow, cn) = PixelFormat::I420.plane_shape(1, w, h);
    match pic.format {
        PixelFormat::I420 => {
            for p in &planes[1..3] {
                for (s, len) in rows(p, crow, cn) {
                    data.extend_from_slice(&p.data[s..s + len]);
                }
            }
        }
        _ => {
            // NV12: U and V interleaved in one plane
            let uv = &planes[1];
            let (mut u, mut v) = (Vec::with_capacity(crow * cn), Vec::with_capacity(crow * cn));
            for (s, _) in rows(uv, 2 * crow, cn) {
                for pair in uv.data[s..s + 2 * crow].chunks_exact(2) {
                    u.push(pair[0]);
                    v.push(pair[1]);
                }
            }
            data.extend_from_slice(&u);
            data.extend_from_slice(&v);
        }
    }
    let rgba = Yuv420::new(w, h, data)?.to_rgba(Matrix::for_height(h));
    if crop == rgba.bounds() {
        Ok(rgba)
    } else {
        rgba.crop(crop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w`x`h` picture in `fmt` whose pixel (x, y) is the colour `f(x, y)`, rows padded to
    /// `stride`, starting at `offset`.
    fn packed(
        fmt: PixelFormat,
        w: u32,
        h: u32,
        stride: usize,
        offset: usize,
        f: impl Fn(u32, u32) -> [u8; 3],
    ) -> Vec<u8> {
        let (bpp, rgb) = fmt.packed().unwrap();
        let mut data = vec![0xEE; offset + stride * h as usize];
        for y in 0..h {
            for x in 0..w {
                let c = f(x, y);
                let i = offset + y as usize * stride + x as usize * bpp;
                for (k, &at) in rgb.iter().enumerate() {
                    data[i + at] = c[k];
                }
            }
        }
        data
    }

    fn colour(x: u32, y: u32) -> [u8; 3] {
        [(x * 7) as u8, (y * 13) as u8, (x + y) as u8]
    }

    #[test]
    fn every_packed_format_with_stride_offset_and_crop() {
        for fmt in PixelFormat::OFFERED.into_iter().filter(|f| f.packed().is_some()) {
            let (bpp, _) = fmt.packed().unwrap();
            let (w, h) = (13, 7);
            let stride = w as usize * bpp + 9;
            let data = packed(fmt, w, h, stride, 5, colour);
            let pic = Picture {
                format: fmt,
                width: w,
                height: h,
                planes: vec![Plane {
                    data: &data,
                    offset: 5,
                    stride,
                }],
            };
            let whole = to_frame(&pic, Rect::new(0, 0, w, h), None).unwrap();
            for (x, y) in [(0, 0), (12, 6), (5, 3)] {
                let c = colour(x, y);
                assert_eq!(whole.pixel(x, y), [c[0], c[1], c[2], 255], "{fmt:?} at {x},{y}");
            }
            let crop = crop_rect(Some((3, 2, 6, 4)), w, h).unwrap();
            let part = to_frame(&pic, crop, Some(whole)).unwrap();
            assert_eq!((part.width(), part.height()), (6, 4));
            let c = colour(3, 2);
            assert_eq!(part.pixel(0, 0), [c[0], c[1], c[2], 255], "{fmt:?} cropped");
        }
    }

    #[test]
    fn a_reused_frame_of_the_right_size_is_written_over() {
        let data = packed(PixelFormat::Bgrx, 4, 2, 16, 0, |_, _| [1, 2, 3]);
        let pic = Picture {
            format: PixelFormat::Bgrx,
            width: 4,
            height: 2,
            planes: vec![Plane {
                data: &data,
                offset: 0,
                stride: 0,
            }],
        };
        let old = Frame::filled(4, 2, [9, 9, 9, 9]).unwrap();
        let f = to_frame(&pic, Rect::new(0, 0, 4, 2), Some(old)).unwrap();
        assert!(f.data().chunks(4).all(|p| p == [1, 2, 3, 255]));
        // a reusable frame of another size is not used
        let f = to_frame(&pic, Rect::new(0, 0, 4, 2), Some(Frame::filled(2, 2, [0; 4]).unwrap())).unwrap();
        assert_eq!(f.width(), 4);
    }

    #[test]
    fn short_buffers_and_strides_are_errors_not_panics() {
        let data = vec![0u8; 100];
        let one = |stride, offset, w, h| Picture {
            format: PixelFormat::Bgrx,
            width: w,
            height: h,
            planes: vec![Plane {
                data: &data,
                offset,
                stride,
            }],
        };
        let all = |p: &Picture| Rect::new(0, 0, p.width, p.height);
        // 5x5 BGRx needs exactly 100 bytes
        assert!(to_frame(&one(20, 0, 5, 5), all(&one(20, 0, 5, 5)), None).is_ok());
        for p in [
            one(20, 1, 5, 5),
            one(16, 0, 5, 5),
            one(24, 0, 5, 5),
            one(0, 0, 6, 5),
            one(20, 0, 0, 5),
        ] {
            let e = to_frame(&p, Rect::new(0, 0, p.width.max(1), p.height), None).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadInput, "{p:?}: {e}");
        }
        // huge sizes overflow nothing
        let p = one(usize::MAX / 2, usize::MAX / 2, 16384, 16384);
        assert!(to_frame(&p, Rect::new(0, 0, 16384, 16384), None).is_err());
        // a crop outside the picture
        assert!(to_frame(&one(20, 0, 5, 5), Rect::new(3, 3, 5, 5), None).is_err());
        // I420 without its chroma planes
        let p = Picture {
            format: PixelFormat::I420,
            width: 4,
            height: 4,
            planes: vec![Plane {
                data: &data,
                offset: 0,
                stride: 4,
            }],
        };
        assert!(to_frame(&p, Rect::new(0, 0, 4, 4), None).is_err());
    }

    #[test]
    fn crops_are_checked_against_the_buffer() {
        assert_eq!(crop_rect(None, 100, 50), Ok(Rect::new(0, 0, 100, 50)));
        assert_eq!(crop_rect(Some((0, 0, 0, 0)), 100, 50), Ok(Rect::new(0, 0, 100, 50)));
        assert_eq!(crop_rect(Some((10, 5, 90, 45)), 100, 50), Ok(Rect::new(10, 5, 90, 45)));
        assert!(crop_rect(Some((10, 5, 91, 45)), 100, 50).is_err());
        assert!(crop_rect(Some((-1, 0, 10, 10)), 100, 50).is_err());
        assert!(crop_rect(Some((i32::MAX, 0, u32::MAX, 10)), 100, 50).is_err());
    }

    /// Grey levels in YUV (limited range): Y 16 is black, 235 white, chroma 128 neutral.
    #[test]
    fn i420_and_nv12_planar_and_in_one_block() {
        let (w, h) = (6u32, 4u32);
        let stride = 8;
        // left half black, right half white
        let luma: Vec<u8> = (0..h)
            .flat_map(|_| {
                (0..stride).map(|x| {
                    if x < 3 {
                        16
                    } else if x < 6 {
                        235
                    } else {
                        0
                    }
                })
            })
            .collect();
        let chroma_i420 = vec![128u8; 4 * 2]; // stride 4, 3 used, 2 rows
        let chroma_nv12 = vec![128u8; 8 * 2]; // stride 8, 6 used
        let check = |f: Frame| {
            assert_eq!((f.width(), f.height()), (w, h));
            assert_eq!(f.pixel(0, 0), [0, 0, 0, 255]);
            assert_eq!(f.pixel(5, 3), [255, 255, 255, 255]);
        };
        let all = Rect::new(0, 0, w, h);
        let planar = Picture {
            format: PixelFormat::I420,
            width: w,
            height: h,
            planes: vec![
                Plane {
                    data: &luma,
                    offset: 0,
                    stride,
                },
                Plane {
                    data: &chroma_i420,
                    offset: 0,
                    stride: 4,
                },
                Plane {
                    data: &chroma_i420,
                    offset: 0,
                    stride: 4,
                },
            ],
        };
        check(to_frame(&planar, all, None).unwrap());
        let nv12 = Picture {
            format: PixelFormat::Nv12,
            width: w,
            height: h,
            planes: vec![
                Plane {
                    data: &luma,
                    offset: 0,
                    stride,
                },
                Plane {
                    data: &chroma_nv12,
                    offset: 0,
                    stride: 8,
                },
            ],
        };
        check(to_frame(&nv12, all, None).unwrap());
        // the same I420 in one block: luma rows (stride 8), then U and V (stride 4)
        let mut block = luma.clone();
        block.extend_from_slice(&chroma_i420);
        block.extend_from_slice(&chroma_i420);
        let single = Picture::split_single(
            PixelFormat::I420,
            w,
            h,
            Plane {
                data: &block,
                offset: 0,
                stride,
            },
        );
        check(to_frame(&single, all, None).unwrap());
        let cropped = to_frame(&single, Rect::new(4, 1, 2, 2), None).unwrap();
        assert_eq!(cropped.pixel(0, 0), [255, 255, 255, 255]);
        // the last V row (3 bytes used of a 4-byte stride) cut by one of its bytes
        let short = Picture::split_single(
            PixelFormat::I420,
            w,
            h,
            Plane {
                data: &block[..block.len() - 2],
                offset: 0,
                stride,
            },
        );
        assert!(to_frame(&short, all, None).is_err());
    }
}
