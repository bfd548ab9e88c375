//! The default colour of a solid box: a shade of the box's own background.
//!
//! A black box is the classic redaction, but on a light page a column of black boxes also
//! hides the text around it from OCR: Tesseract's page layout takes the run of black blobs
//! for a picture and drops the subject lines or ticket numbers beside it, and a viewer's eye
//! is pulled to the boxes instead of what is shared. A box a fixed step of brightness darker
//! (on a light background) or lighter (on a dark one) than the background it sits on is just
//! as irreversible (every pixel one colour, none from the text), is plainly a box, and stays on
//! the background's side of any ink/paper threshold, so the text beside it reads as before.

use crate::frame::{Frame, Rect};

/// Luma steps between the background and its shade: clearly visible (#c7c7c7 on white,
/// #565656 on #1e1e1e), yet lighter than the middle grey that binarisation splits ink at.
pub const STEP: f32 = 56.0;

/// The fill for a box over `rect` of `frame`: [`shade`] of its [`background`].
pub fn fill_for(frame: &Frame, rect: Rect) -> [u8; 3] {
    shade(background(frame, rect))
}

/// The most common colour in `rect`: text is a minority of a padded line box's pixels. Sampled
/// on a grid of at most 64 x 32 points (a popup or a field can be large), voted by coarse
/// bucket so anti-aliased edges do not split the vote, and averaged inside the winning bucket.
pub fn background(frame: &Frame, rect: Rect) -> [u8; 3] {
    let r = rect.intersect(frame.bounds());
    if r.is_empty() {
        return [255, 255, 255];
    }
    let step_x = r.w.div_ceil(64).max(1);
    let step_y = r.h.div_ceil(32).max(1);
    // a box holds a handful of colours (background, text, anti-aliasing): a short list
    // searched linearly beats a hash map here, on the live path's every release
    let mut votes: Vec<([u8; 3], u32, [u32; 3])> = Vec::with_capacity(16);
    for y in (r.y..r.bottom()).step_by(step_y as usize) {
        for x in (r.x..r.right()).step_by(step_x as usize) {
            let p = frame.pixel(x, y);
            let bucket = [p[0] >> 4, p[1] >> 4, p[2] >> 4];
            let k = match votes.iter().position(|v| v.0 == bucket) {
                Some(k) => k,
                None => {
                    votes.push((bucket, 0, [0; 3]));
                    votes.len() - 1
                }
            };
            let e = &mut votes[k];
            e.1 += 1;
            for (sum, v) in e.2.iter_mut().zip(p) {
                *sum += v as u32;
            }
        }
    }
    let (_, n, sum) = votes
        .into_iter()
        .max_by_key(|&(bucket, n, _)| (n, bucket))
        .expect("a non-empty box has samples");
    [0, 1, 2].map(|c| (sum[c] / n) as u8)
}

/// `bg` moved [`STEP`] luma levels towards black when it is light, towards white when dark,
/// keeping its hue.
pub fn shade(bg: [u8; 3]) -> [u8; 3] {
    let [r, g, b] = bg.map(f32::from);
    let luma = 0.299 * r + 0.587 * g + 0.114 * b;
    if luma >= 128.0 {
        let k = (luma - STEP) / luma;
        bg.map(|c| (f32::from(c) * k).round() as u8)
    } else {
        let k = STEP / (255.0 - luma);
        bg.map(|c| (f32::from(c) + (255.0 - f32::from(c)) * k).round().min(255.0) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luma(c: [u8; 3]) -> f32 {
        0.299 * c[0] as f32 + 0.587 * c[1] as f32 + 0.114 * c[2] as f32
    }

    #[test]
    fn light_backgrounds_get_a_darker_box_and_dark_ones_a_lighter() {
        assert_eq!(shade([255, 255, 255]), [199, 199, 199]);
        let dark = shade([30, 30, 30]);
        assert!((luma(dark) - 86.0).abs() < 1.0, "{dark:?}");
        // mid-grey and strong colours still move a full step, and keep their hue
        for bg in [
            [128, 128, 128],
            [27, 94, 32],
            [25, 118, 210],
            [250, 240, 200],
            [0, 0, 0],
        ] {
            let s = shade(bg);
            assert!((luma(s) - luma(bg)).abs() >= STEP - 1.0, "{bg:?} -> {s:?}");
        }
        let green = shade([27, 94, 32]);
        assert!(green[1] > green[0] && green[1] > green[2], "{green:?}");
    }

    #[test]
    fn the_background_is_the_boxs_most_common_colour_not_its_text() {
        let mut f = Frame::filled(200, 40, [241, 243, 244, 255]).unwrap();
        // dark "glyph" strokes over a third of the box
        for y in 10..30 {
            for x in (20..180).step_by(3) {
                let i = ((y * 200 + x) * 4) as usize;
                f.data_mut()[i..i + 4].copy_from_slice(&[20, 20, 20, 255]);
            }
        }
        assert_eq!(background(&f, Rect::new(10, 5, 180, 30)), [241, 243, 244]);
        // a box off the frame is clipped; one wholly off it gets white's shade, never a panic
        assert_eq!(background(&f, Rect::new(190, 30, 50, 50)), [241, 243, 244]);
        assert_eq!(fill_for(&f, Rect::new(500, 500, 5, 5)), shade([255, 255, 255]));
    }
}
