//! `SPA_META_VideoTransform`: a producer casting a rotated or flipped output may send the
//! buffer as the output scans it out, with the output's transform (xdg-desktop-portal-wlr
//! does). scrim undoes it, so OCR reads upright text and viewers see the screen as the
//! presenter does. Checked against `grim` on sway with `output HEADLESS-1 transform 90` and
//! `flipped-90` (tests/wayland.rs).

use crate::frame::Frame;

/// SPA's values: a counter-clockwise rotation, after a mirror (around the vertical axis) for
/// the flipped ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Transform {
    pub flipped: bool,
    /// Quarter turns counter-clockwise, 0..=3.
    pub quarters: u8,
}

impl Transform {
    pub fn from_spa(v: u32) -> Transform {
        Transform {
            flipped: v & 4 != 0,
            quarters: (v & 3) as u8,
        }
    }

    pub fn of_meta(buffer: &pipewire::buffer::Buffer) -> Transform {
        // the crate has no wrapper for this meta; it is one u32
        #[repr(transparent)]
        struct Meta(pipewire::spa::sys::spa_meta_videotransform);
        impl pipewire::spa::buffer::meta::Metadata for Meta {
            const META_TYPE: u32 = pipewire::spa::sys::SPA_META_VideoTransform;
        }
        buffer
            .find_meta::<Meta>()
            .map_or_else(Transform::default, |m| Transform::from_spa(m.0.transform))
    }

    pub fn is_identity(self) -> bool {
        !self.flipped && self.quarters == 0
    }

    /// The transform that undoes a producer's: the rotation turned back. (For the mirrored
    /// ones too: what producers mean by "flipped-90" is the mirror of what [`Transform::apply`]
    /// does with quarters 1, and a reflection is its own inverse, which comes to the same.)
    pub fn inverse(self) -> Transform {
        Transform {
            flipped: self.flipped,
            quarters: (4 - self.quarters) % 4,
        }
    }

    /// The upright picture of a buffer sent with this transform.
    pub fn upright(self, f: Frame) -> Frame {
        self.inverse().apply(f)
    }

    /// The picture turned by this transform.
    pub fn apply(self, f: Frame) -> Frame {
        if self.is_identity() {
            return f;
        }
        let (w, h) = (f.width() as usize, f.height() as usize);
        let (ow, oh) = if self.quarters % 2 == 1 { (h, w) } else { (w, h) };
        let src = f.data();
        let mut out = vec![0u8; w * h * 4];
        for y in 0..h {
            for x in 0..w {
                let mx = if self.flipped { w - 1 - x } else { x };
                // where (mx, y) lands after the counter-clockwise quarter turns
                let (nx, ny) = match self.quarters {
                    0 => (mx, y),
                    1 => (y, w - 1 - mx),
                    2 => (w - 1 - mx, h - 1 - y),
                    _ => (h - 1 - y, mx),
                };
                let (s, d) = ((y * w + x) * 4, (ny * ow + nx) * 4);
                out[d..d + 4].copy_from_slice(&src[s..s + 4]);
            }
        }
        Frame::new(ow as u32, oh as u32, out).expect("same number of pixels")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3x2 picture, pixel values 0..6 in the red channel, row by row.
    fn pic() -> Frame {
        let data = (0..6u8).flat_map(|v| [v, 0, 0, 255]).collect();
        Frame::new(3, 2, data).unwrap()
    }

    fn reds(f: &Frame) -> Vec<u8> {
        f.data().chunks(4).map(|p| p[0]).collect()
    }

    #[test]
    fn turns_and_mirrors() {
        // 0 1 2
        // 3 4 5
        assert_eq!(reds(&Transform::from_spa(0).apply(pic())), [0, 1, 2, 3, 4, 5]);
        // a quarter turn counter-clockwise: 2 5 / 1 4 / 0 3
        let f = Transform::from_spa(1).apply(pic());
        assert_eq!((f.width(), f.height()), (2, 3));
        assert_eq!(reds(&f), [2, 5, 1, 4, 0, 3]);
        assert_eq!(reds(&Transform::from_spa(2).apply(pic())), [5, 4, 3, 2, 1, 0]);
        assert_eq!(reds(&Transform::from_spa(3).apply(pic())), [3, 0, 4, 1, 5, 2]);
        // mirrored: 2 1 0 / 5 4 3
        assert_eq!(reds(&Transform::from_spa(4).apply(pic())), [2, 1, 0, 5, 4, 3]);
        assert_eq!(reds(&Transform::from_spa(6).apply(pic())), [3, 4, 5, 0, 1, 2]);
    }

    #[test]
    fn upright_undoes_rotations() {
        for v in 0..4 {
            let t = Transform::from_spa(v);
            assert_eq!(reds(&t.upright(t.apply(pic()))), [0, 1, 2, 3, 4, 5], "{t:?}");
        }
        // a producer's flipped-90 buffer of the 3x2 picture is its mirror turned clockwise
        assert_eq!(
            reds(&Transform::from_spa(5).upright(Transform::from_spa(7).apply(pic()))),
            [0, 1, 2, 3, 4, 5]
        );
    }
}
