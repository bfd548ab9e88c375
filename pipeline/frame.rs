//! The frame every stage works on, and the rectangles that name parts of it.

use crate::error::{Error, ErrorKind, Result};

/// An RGBA8 picture, row-major, no padding between rows.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Frame({}x{})", self.width, self.height)
    }
}

/// Largest frame scrim accepts: 16384 x 16384 (8K is 7680 x 4320). Bigger inputs are almost
/// certainly hostile (decompression bombs) and would need gigabytes of memory.
pub const MAX_SIDE: u32 = 16_384;

impl Frame {
    pub fn new(width: u32, height: u32, data: Vec<u8>) -> Result<Self> {
        if width == 0 || height == 0 {
            return Err(Error::new(
                ErrorKind::BadInput,
                format!("empty frame ({width}x{height})"),
            ));
        }
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err(Error::new(
                ErrorKind::BadInput,
                format!("frame {width}x{height} is larger than the {MAX_SIDE}x{MAX_SIDE} limit"),
            ));
        }
        let expected = width as usize * height as usize * 4;
        if data.len() != expected {
            return Err(Error::new(
                ErrorKind::BadInput,
                format!(
                    "frame {width}x{height} needs {expected} bytes of RGBA, got {}",
                    data.len()
                ),
            ));
        }
        Ok(Frame { width, height, data })
    }

    /// A frame filled with one colour.
    pub fn filled(width: u32, height: u32, rgba: [u8; 4]) -> Result<Self> {
        let data = rgba
            .iter()
            .copied()
            .cycle()
            .take(width as usize * height as usize * 4)
            .collect();
        Frame::new(width, height, data)
    }

    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    pub fn bounds(&self) -> Rect {
        Rect::new(0, 0, self.width, self.height)
    }
    pub fn data(&self) -> &[u8] {
        &self.data
    }
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }
    pub fn into_data(self) -> Vec<u8> {
        self.data
    }

    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        [self.data[i], self.data[i + 1], self.data[i + 2], self.data[i + 3]]
    }

    /// Bytes of one row.
    pub fn row(&self, y: u32) -> &[u8] {
        let w = self.width as usize * 4;
        &self.data[y as usize * w..(y as usize + 1) * w]
    }

    /// Bytes of row `y` between columns `x0..x1`.
    pub fn row_span(&self, y: u32, x0: u32, x1: u32) -> &[u8] {
        let base = y as usize * self.width as usize * 4;
        &self.data[base + x0 as usize * 4..base + x1 as usize * 4]
    }

    /// A copy of the part of the frame inside `rect` (clipped to the frame; must not be empty).
    pub fn crop(&self, rect: Rect) -> Result<Frame> {
        let r = rect.intersect(self.bounds());
        let mut data = Vec::with_capacity(r.area() as usize * 4);
        for y in r.y..r.bottom() {
            data.extend_from_slice(self.row_span(y, r.x, r.right()));
        }
        Frame::new(r.w, r.h, data)
    }

    /// Copies the pixels of `src` inside `rect` into the same place of this frame (same size).
    pub fn copy_rect_from(&mut self, src: &Frame, rect: Rect) {
        debug_assert_eq!((self.width, self.height), (src.width, src.height));
        let r = rect.intersect(self.bounds());
        let stride = self.width as usize * 4;
        for y in r.y..r.bottom() {
            let a = y as usize * stride + r.x as usize * 4;
            let b = a + r.w as usize * 4;
            self.data[a..b].copy_from_slice(&src.data[a..b]);
        }
    }
}

/// An axis-aligned rectangle in frame pixels; `x + w` and `y + h` are exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl Rect {
    pub const fn new(x: u32, y: u32, w: u32, h: u32) -> Self {
        Rect { x, y, w, h }
    }

    /// From float corners, rounded outward so the rectangle never shrinks, then clipped to `bounds`.
    pub fn from_corners_f(x0: f32, y0: f32, x1: f32, y1: f32, bounds: Rect) -> Rect {
        let x0 = x0.floor().max(0.0) as i64;
        let y0 = y0.floor().max(0.0) as i64;
        let x1 = x1.ceil().max(0.0) as i64;
        let y1 = y1.ceil().max(0.0) as i64;
        Rect::from_corners_i(x0, y0, x1, y1).intersect(bounds)
    }

    fn from_corners_i(x0: i64, y0: i64, x1: i64, y1: i64) -> Rect {
        let x0 = x0.clamp(0, u32::MAX as i64) as u32;
        let y0 = y0.clamp(0, u32::MAX as i64) as u32;
        let x1 = (x1.clamp(0, u32::MAX as i64) as u32).max(x0);
        let y1 = (y1.clamp(0, u32::MAX as i64) as u32).max(y0);
        Rect::new(x0, y0, x1 - x0, y1 - y0)
    }

    pub fn right(&self) -> u32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> u32 {
        self.y + self.h
    }
    pub fn area(&self) -> u64 {
        self.w as u64 * self.h as u64
    }
    pub fn is_empty(&self) -> bool {
        self.w == 0 || self.h == 0
    }

    pub fn intersect(&self, other: Rect) -> Rect {
        let x0 = self.x.max(other.x);
        let y0 = self.y.max(other.y);
        let x1 = self.right().min(other.right());
        let y1 = self.bottom().min(other.bottom());
        if x1 <= x0 || y1 <= y0 {
            return Rect::new(x0.min(x1), y0.min(y1), 0, 0);
        }
        Rect::new(x0, y0, x1 - x0, y1 - y0)
    }

    pub fn union(&self, other: Rect) -> Rect {
        if self.is_empty() {
            return other;
        }
        if other.is_empty() {
            return *self;
        }
        let x0 = self.x.min(other.x);
        let y0 = self.y.min(other.y);
        Rect::new(
            x0,
            y0,
            self.right().max(other.right()) - x0,
            self.bottom().max(other.bottom()) - y0,
        )
    }

    pub fn overlaps(&self, other: Rect) -> bool {
        !self.intersect(other).is_empty()
    }

    pub fn contains(&self, other: Rect) -> bool {
        other.x >= self.x && other.y >= self.y && other.right() <= self.right() && other.bottom() <= self.bottom()
    }

    /// Grown by `dx`/`dy` on each side and clipped to `bounds`.
    pub fn pad(&self, dx: u32, dy: u32, bounds: Rect) -> Rect {
        Rect::from_corners_i(
            self.x as i64 - dx as i64,
            self.y as i64 - dy as i64,
            self.right() as i64 + dx as i64,
            self.bottom() as i64 + dy as i64,
        )
        .intersect(bounds)
    }

    pub fn center_y(&self) -> f32 {
        self.y as f32 + self.h as f32 / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_rejects_bad_sizes() {
        assert_eq!(Frame::new(0, 5, vec![]).unwrap_err().kind(), ErrorKind::BadInput);
        assert_eq!(Frame::new(2, 2, vec![0; 15]).unwrap_err().kind(), ErrorKind::BadInput);
        assert_eq!(
            Frame::new(MAX_SIDE + 1, 1, vec![]).unwrap_err().kind(),
            ErrorKind::BadInput
        );
        assert!(Frame::new(1, 1, vec![1, 2, 3, 4]).is_ok());
    }

    #[test]
    fn rect_geometry() {
        let b = Rect::new(0, 0, 100, 50);
        assert_eq!(Rect::new(95, 45, 10, 10).pad(2, 2, b), Rect::new(93, 43, 7, 7));
        assert_eq!(Rect::new(0, 0, 10, 10).pad(5, 5, b), Rect::new(0, 0, 15, 15));
        assert_eq!(Rect::new(0, 0, 10, 10).intersect(Rect::new(20, 20, 5, 5)).area(), 0);
        assert_eq!(
            Rect::new(0, 0, 10, 10).union(Rect::new(20, 20, 5, 5)),
            Rect::new(0, 0, 25, 25)
        );
        assert_eq!(Rect::from_corners_f(-3.2, 1.5, 10.1, 2.2, b), Rect::new(0, 1, 11, 2));
        assert!(b.contains(Rect::new(10, 10, 90, 40)));
        assert!(!b.contains(Rect::new(10, 10, 91, 40)));
    }
}
