//! Golden tests: the real PP-OCRv6 models on real-Chromium screenshots the project ships.

mod common;

use scrim::imageio;
use scrim::ocr::{CtcRecognizer, DbDetector, Ocr, TextLine};

fn read(png: &str) -> Vec<TextLine> {
    let models = common::models();
    let mut ocr = Ocr {
        detector: Box::new(DbDetector::new(&models, 2).unwrap()),
        recognizer: Box::new(CtcRecognizer::new(&models, 2).unwrap()),
    };
    ocr.read(&imageio::load(&common::asset(png)).unwrap()).unwrap()
}

fn find<'a>(lines: &'a [TextLine], needle: &str) -> &'a TextLine {
    lines
        .iter()
        .find(|l| l.text.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?}; read {} lines", lines.len()))
}

#[test]
fn reads_the_dashboard_exactly() {
    let lines = read("examples/intranet-dashboard.png");
    for s in [
        "On-call handbook",
        "Escalate to the primary on-call before paging the database team.",
        "hana.okoye@acme.example",
        "10.44.18.203",
        "(415) 555-0148",
        "intranet.acme.internal/payments/",
    ] {
        find(&lines, s);
    }
    // every line box lies inside the frame and the lines come in reading order
    assert!(lines.windows(2).all(|w| w[0].rect.y <= w[1].rect.y));
    assert!(lines.iter().all(|l| l.rect.right() <= 1920 && l.rect.bottom() <= 1080));
}

#[test]
fn character_positions_locate_a_substring() {
    let lines = read("examples/intranet-dashboard.png");
    let line = find(&lines, "Support line for merchants");
    let text: Vec<char> = line.text.chars().collect();
    let start = line.text.find('(').map(|b| line.text[..b].chars().count()).unwrap();
    let phone = line.span_rect(start, text.len());
    // the phone number is the right-hand part of the line, the label the left
    assert!(phone.x > line.rect.x + line.rect.w / 2, "{phone:?} in {:?}", line.rect);
    assert!(phone.right() >= line.rect.right() - 4);
    assert_eq!(line.chars.len(), text.len());
    assert!(line.chars.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn reads_a_dark_terminal() {
    let lines = read("fixtures/terminal.png");
    find(&lines, "connection established");
    find(&lines, "ghp_R8vNq2XbT5mKc9LwZ3yHd7Fs1Gj4Pa6Ue0Qi");
}

/// The recogniser remembers lines by their pixels (streams re-read unchanged lines): the same
/// crop elsewhere in a frame reads the same, with its characters where they now are.
#[test]
fn remembered_lines_move_with_their_pixels() {
    use scrim::ocr::{TextBox, TextDetector, TextRecognizer};
    use scrim::{Frame, Rect};
    let models = common::models();
    let frame = imageio::load(&common::asset("examples/intranet-dashboard.png")).unwrap();
    let mut det = DbDetector::new(&models, 2).unwrap();
    let mut rec = CtcRecognizer::new(&models, 2).unwrap();
    let boxes = det.detect(&frame).unwrap();
    let first = rec.recognize(&frame, &boxes).unwrap();
    // the same picture shifted 37 px to the right
    let (w, h) = (frame.width(), frame.height());
    let mut shifted = Frame::filled(w, h, [255, 255, 255, 255]).unwrap();
    for y in 0..h {
        let src = frame.row_span(y, 0, w - 37).to_vec();
        let at = (y * w + 37) as usize * 4;
        shifted.data_mut()[at..at + src.len()].copy_from_slice(&src);
    }
    let moved: Vec<TextBox> = boxes
        .iter()
        .filter(|b| b.rect.right() + 37 <= w)
        .map(|b| TextBox {
            rect: Rect::new(b.rect.x + 37, b.rect.y, b.rect.w, b.rect.h),
            score: b.score,
        })
        .collect();
    let again = rec.recognize(&shifted, &moved).unwrap();
    for l in &again {
        let orig = first
            .iter()
            .find(|o| o.rect.y == l.rect.y && o.rect.x + 37 == l.rect.x)
            .unwrap();
        assert_eq!(l.text, orig.text);
        for (a, b) in l.chars.iter().zip(&orig.chars) {
            assert!((a.0 - b.0 - 37.0).abs() < 1e-3 && (a.1 - b.1 - 37.0).abs() < 1e-3);
        }
    }
    assert!(again.len() > 10);
}
