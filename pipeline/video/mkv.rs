//! Just enough Matroska to carry raw RGBA frames *with their timestamps* through a pipe to and
//! from ffmpeg. Raw video and Y4M carry no per-frame time, so a variable-frame-rate recording
//! would lose its timing through them; Matroska `V_UNCOMPRESSED` keeps every frame's timestamp
//! and ffmpeg reads and writes it natively.
//!
//! The reader walks the element stream flatly: containers scrim needs (Segment, Cluster, Tracks,
//! BlockGroup, …) are entered, everything else is skipped by its size. That also handles the
//! unknown-size Segment and Clusters a live muxer writes.

use std::io::{self, Read, Write};

use crate::error::{Error, ErrorKind, Result};

const EBML: u32 = 0x1A45_DFA3;
const SEGMENT: u32 = 0x1853_8067;
const INFO: u32 = 0x1549_A966;
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_NUMBER: u32 = 0xD7;
const TRACK_UID: u32 = 0x73C5;
const TRACK_TYPE: u32 = 0x83;
const CODEC_ID: u32 = 0x86;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;
const COLOUR_SPACE: u32 = 0x2E_B524;
const CLUSTER: u32 = 0x1F43_B675;
const TIMECODE: u32 = 0xE7;
const SIMPLE_BLOCK: u32 = 0xA3;
const BLOCK_GROUP: u32 = 0xA0;
const BLOCK: u32 = 0xA1;

/// Elements whose children are read in line (their own size is not needed).
const CONTAINERS: &[u32] = &[SEGMENT, INFO, TRACKS, TRACK_ENTRY, VIDEO, CLUSTER, BLOCK_GROUP];

/// One decoded picture (raw bytes in the stream's pixel format) and its presentation time.
pub struct TimedFrame {
    pub data: Vec<u8>,
    pub pts_ms: i64,
}

/// Raw pixel formats scrim exchanges with ffmpeg, by their Matroska fourcc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    Rgba,
    I420,
}

impl PixelFormat {
    fn fourcc(self) -> &'static [u8; 4] {
        match self {
            PixelFormat::Rgba => b"RGBA",
            PixelFormat::I420 => b"I420",
        }
    }

    pub fn frame_len(self, w: u32, h: u32) -> usize {
        match self {
            PixelFormat::Rgba => w as usize * h as usize * 4,
            PixelFormat::I420 => super::yuv::i420_len(w, h),
        }
    }
}

/// Reads raw frames from a Matroska stream written by `ffmpeg -c:v rawvideo -f matroska`.
pub struct MkvReader<R: Read> {
    r: R,
    width: u32,
    height: u32,
    scale_ns: u64,
    cluster_time: i64,
    video_track: u64,
    entry_track: u64,
    codec_ok: bool,
    format: Option<PixelFormat>,
}

impl<R: Read> MkvReader<R> {
    pub fn new(r: R) -> Self {
        MkvReader {
            r,
            width: 0,
            height: 0,
            scale_ns: 1_000_000,
            cluster_time: 0,
            video_track: 1,
            entry_track: 0,
            codec_ok: false,
            format: None,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The pixel format, known once the track header has been read.
    pub fn format(&self) -> Option<PixelFormat> {
        self.format
    }

    /// The next frame, `Ok(None)` at the end of the stream. A stream cut inside an element is an
    /// error (the decoder died), not a quiet end.
    pub fn next_frame(&mut self) -> Result<Option<TimedFrame>> {
        loop {
            let Some(id) = read_id(&mut self.r)? else {
                return Ok(None);
            };
            let size = read_size(&mut self.r)?;
            if CONTAINERS.contains(&id) {
                continue;
            }
            let Some(size) = size else {
                return Err(bad("element of unknown size that is not a container"));
            };
            match id {
                SIMPLE_BLOCK | BLOCK => {
                    if let Some(f) = self.block(size)? {
                        return Ok(Some(f));
                    }
                }
                TIMECODE_SCALE => self.scale_ns = self.uint(size)?.max(1),
                TIMECODE => self.cluster_time = self.uint(size)? as i64,
                TRACK_NUMBER => self.entry_track = self.uint(size)?,
                PIXEL_WIDTH => {
                    self.width = self.uint(size)? as u32;
                    self.video_track = self.entry_track;
                }
                PIXEL_HEIGHT => self.height = self.uint(size)? as u32,
                COLOUR_SPACE => {
                    let v = self.bytes(size)?;
                    self.format = [PixelFormat::Rgba, PixelFormat::I420]
                        .into_iter()
                        .find(|f| v == f.fourcc());
                }
                CODEC_ID => {
                    let v = self.bytes(size)?;
                    self.codec_ok = v.starts_with(b"V_UNCOMPRESSED");
                }
                EBML => {
                    self.bytes(size)?;
                }
                _ => skip(&mut self.r, size)?,
            }
        }
    }

    fn block(&mut self, size: u64) -> Result<Option<TimedFrame>> {
        let data = self.bytes(size)?;
        let mut c = io::Cursor::new(&data[..]);
        let track = read_vint(&mut c)?.ok_or_else(|| bad("empty block"))?.0;
        let pos = c.position() as usize;
        if data.len() < pos + 3 {
            return Err(bad("short block header"));
        }
        let rel = i16::from_be_bytes([data[pos], data[pos + 1]]) as i64;
        if track != self.video_track {
            return Ok(None);
        }
        let Some(format) = self
            .format
            .filter(|_| self.codec_ok && self.width > 0 && self.height > 0)
        else {
            return Err(bad("video track is not raw RGBA or I420 with a known size"));
        };
        let payload = data[pos + 3..].to_vec();
        if payload.len() != format.frame_len(self.width, self.height) {
            return Err(bad("frame size does not match the track"));
        }
        let ticks = self.cluster_time + rel;
        let pts_ms = (ticks as i128 * self.scale_ns as i128 / 1_000_000) as i64;
        Ok(Some(TimedFrame { data: payload, pts_ms }))
    }

    fn uint(&mut self, size: u64) -> Result<u64> {
        if size > 8 {
            return Err(bad("integer element longer than 8 bytes"));
        }
        Ok(self.bytes(size)?.iter().fold(0u64, |a, &b| (a << 8) | b as u64))
    }

    fn bytes(&mut self, size: u64) -> Result<Vec<u8>> {
        // a frame is at most 16384^2 * 4 bytes; anything larger is a corrupt stream
        if size > 1 << 31 {
            return Err(bad("element larger than any frame"));
        }
        let mut v = vec![0u8; size as usize];
        self.r
            .read_exact(&mut v)
            .map_err(|_| bad("stream ends inside an element"))?;
        Ok(v)
    }
}

fn bad(msg: &str) -> Error {
    Error::new(ErrorKind::BadInput, format!("decoded video stream: {msg}"))
}

fn skip<R: Read>(r: &mut R, size: u64) -> Result<()> {
    let n = io::copy(&mut r.take(size), &mut io::sink()).map_err(|e| bad(&e.to_string()))?;
    if n != size {
        return Err(bad("stream ends inside an element"));
    }
    Ok(())
}

/// A variable-length integer: `(value without marker, length)`; `None` at a clean end.
fn read_vint<R: Read>(r: &mut R) -> Result<Option<(u64, usize)>> {
    let mut first = [0u8; 1];
    match r.read(&mut first) {
        Ok(0) => return Ok(None),
        Ok(_) => {}
        Err(e) => return Err(bad(&e.to_string())),
    }
    let len = first[0].leading_zeros() as usize + 1;
    if len > 8 {
        return Err(bad("invalid variable-length integer"));
    }
    let mut v = (first[0] as u64) & (0xFF >> len);
    let mut rest = [0u8; 7];
    r.read_exact(&mut rest[..len - 1])
        .map_err(|_| bad("stream ends inside a header"))?;
    for &b in &rest[..len - 1] {
        v = (v << 8) | b as u64;
    }
    Ok(Some((v, len)))
}

fn read_id<R: Read>(r: &mut R) -> Result<Option<u32>> {
    // IDs keep their length marker
    Ok(read_vint(r)?.map(|(v, len)| (v | (1u64 << (7 * len))) as u32))
}

fn read_size<R: Read>(r: &mut R) -> Result<Option<u64>> {
    let (v, len) = read_vint(r)?.ok_or_else(|| bad("stream ends inside a header"))?;
    Ok(if v == (1u64 << (7 * len)) - 1 { None } else { Some(v) })
}

/// Writes raw frames with timestamps as a live (unknown-size) Matroska stream.
pub struct MkvWriter<W: Write> {
    w: W,
}

impl<W: Write> MkvWriter<W> {
    pub fn new(mut w: W, width: u32, height: u32, format: PixelFormat) -> io::Result<Self> {
        let mut header = Vec::new();
        element(
            &mut header,
            EBML,
            &[
                uint_el(0x4286, 1),
                uint_el(0x42F7, 1),
                uint_el(0x42F2, 4),
                uint_el(0x42F3, 8),
                bytes_el(0x4282, b"matroska"),
                uint_el(0x4287, 4),
                uint_el(0x4285, 2),
            ]
            .concat(),
        );
        put_id(&mut header, SEGMENT);
        header.extend_from_slice(&[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        element(
            &mut header,
            INFO,
            &[
                uint_el(TIMECODE_SCALE, 1_000_000),
                bytes_el(0x4D80, b"scrim"),
                bytes_el(0x5741, b"scrim"),
            ]
            .concat(),
        );
        let mut video = Vec::new();
        video.extend(uint_el(PIXEL_WIDTH, width as u64));
        video.extend(uint_el(PIXEL_HEIGHT, height as u64));
        video.extend(bytes_el(COLOUR_SPACE, format.fourcc()));
        let mut entry = Vec::new();
        entry.extend(uint_el(TRACK_NUMBER, 1));
        entry.extend(uint_el(TRACK_UID, 1));
        entry.extend(uint_el(TRACK_TYPE, 1));
        entry.extend(bytes_el(CODEC_ID, b"V_UNCOMPRESSED"));
        element(&mut entry, VIDEO, &video.clone());
        let mut track = Vec::new();
        element(&mut track, TRACK_ENTRY, &entry);
        element(&mut header, TRACKS, &track);
        w.write_all(&header)?;
        Ok(MkvWriter { w })
    }

    /// One cluster per frame: the cluster carries the absolute time, so any timestamp works.
    pub fn write(&mut self, frame: &[u8], pts_ms: i64) -> io::Result<()> {
        let mut head = Vec::with_capacity(64);
        let time = uint_el(TIMECODE, pts_ms.max(0) as u64);
        let block_len = 4 + frame.len() as u64;
        let mut block_head = Vec::new();
        put_id(&mut block_head, SIMPLE_BLOCK);
        put_size(&mut block_head, block_len);
        block_head.extend_from_slice(&[0x81, 0, 0, 0x80]);
        put_id(&mut head, CLUSTER);
        put_size(&mut head, (time.len() + block_head.len()) as u64 + frame.len() as u64);
        head.extend(time);
        head.extend(block_head);
        self.w.write_all(&head)?;
        self.w.write_all(frame)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

fn put_id(out: &mut Vec<u8>, id: u32) {
    let bytes = id.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.extend_from_slice(&bytes[skip..]);
}

fn put_size(out: &mut Vec<u8>, size: u64) {
    // always 8 bytes: simple, and any size fits
    out.push(0x01);
    out.extend_from_slice(&size.to_be_bytes()[1..]);
}

fn element(out: &mut Vec<u8>, id: u32, payload: &[u8]) {
    put_id(out, id);
    put_size(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

fn uint_el(id: u32, v: u64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    let mut out = Vec::new();
    element(&mut out, id, &bytes[skip..]);
    out
}

fn bytes_el(id: u32, v: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    element(&mut out, id, v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::Frame;

    #[test]
    fn round_trip_keeps_pixels_and_times() {
        let mut buf = Vec::new();
        let f1 = Frame::filled(3, 2, [1, 2, 3, 4]).unwrap();
        let f2 = Frame::filled(3, 2, [9, 8, 7, 6]).unwrap();
        let mut w = MkvWriter::new(&mut buf, 3, 2, PixelFormat::Rgba).unwrap();
        w.write(f1.data(), 0).unwrap();
        w.write(f2.data(), 1234).unwrap();
        w.finish().unwrap();
        let mut r = MkvReader::new(&buf[..]);
        let a = r.next_frame().unwrap().unwrap();
        let b = r.next_frame().unwrap().unwrap();
        assert!(r.next_frame().unwrap().is_none());
        assert_eq!((&a.data[..], a.pts_ms), (f1.data(), 0));
        assert_eq!((&b.data[..], b.pts_ms), (f2.data(), 1234));
        assert_eq!((r.size(), r.format()), ((3, 2), Some(PixelFormat::Rgba)));
    }

    #[test]
    fn truncation_is_an_error() {
        let mut buf = Vec::new();
        let mut w = MkvWriter::new(&mut buf, 3, 2, PixelFormat::Rgba).unwrap();
        w.write(Frame::filled(3, 2, [1, 2, 3, 4]).unwrap().data(), 0).unwrap();
        let cut = &buf[..buf.len() - 5];
        let mut r = MkvReader::new(cut);
        assert!(r.next_frame().is_err());
    }
}
