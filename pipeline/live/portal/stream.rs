//! The cast's PipeWire stream, consumed with the `pipewire` crate on a thread of its own (its
//! objects are not `Send`): format negotiation, buffers, metadata, and the newest picture handed
//! to the live loop through [`Shared`].
//!
//! - Formats: the packed RGB orders and I420/NV12 of [`PixelFormat::OFFERED`], any size, any
//!   frame rate up to the live loop's (a producer that honours `maxFramerate` sends no more);
//!   no DMA-BUF modifiers are offered, so producers send shared memory (MemFd or MemPtr), which
//!   is mapped (`MAP_BUFFERS`) and read directly. A format scrim did not offer is a clear error.
//! - Per buffer: the newest one only (older queued ones go straight back), skipped when its
//!   header says corrupted or its chunk is empty (a cursor-only update); `VideoCrop` honoured
//!   when it lies inside the buffer; `VideoTransform` (a rotated or flipped output) undone.
//! - Frames come only when the screen changes (damage); between them the live loop repeats
//!   the last picture, the same `Arc`, which costs nothing downstream.
//! - A new format mid-stream (a resolution change) is simply the next picture's size: the gate
//!   starts a new scene.

use std::os::fd::OwnedFd;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use pipewire as pw;
use pw::spa;
use pw::stream::{StreamFlags, StreamState};
use spa::buffer::meta::{MetaHeader, MetaHeaderFlags, MetaVideoCrop};
use spa::param::format::{FormatProperties, MediaSubtype, MediaType};
use spa::param::video::{VideoFormat, VideoInfoRaw};
use spa::param::ParamType;
use spa::pod::serialize::PodSerializer;
use spa::pod::{ChoiceValue, Object, Pod, Property, PropertyFlags, Value};
use spa::utils::{Choice, ChoiceEnum, ChoiceFlags, Direction, Fraction, Id, Rectangle, SpaTypes};

use super::pixels::{self, Picture, PixelFormat, Plane};
use super::transform::Transform;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};

/// What the stream thread hands the live loop.
#[derive(Default)]
pub struct Latest {
    /// The newest picture, and how many pictures came before it.
    pub frame: Option<Arc<Frame>>,
    pub seq: u64,
    /// Why the stream ended, if it did.
    pub ended: Option<String>,
    /// The negotiated format, e.g. "BGRx 1920x1080".
    pub format: Option<String>,
    /// Something worth one line on stderr (an odd crop), taken by whoever prints it.
    pub note: Option<String>,
}

#[derive(Default)]
pub struct Shared {
    pub latest: Mutex<Latest>,
    pub changed: Condvar,
}

impl Shared {
    fn update(&self, f: impl FnOnce(&mut Latest)) {
        let mut l = self.latest.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut l);
        self.changed.notify_all();
    }

    fn end(&self, why: String) {
        self.update(|l| {
            l.ended.get_or_insert(why);
        });
    }
}

/// The running stream thread. Dropping it stops the stream.
pub struct StreamThread {
    quit: Option<pw::channel::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for StreamThread {
    fn drop(&mut self) {
        if let Some(q) = self.quit.take() {
            let _ = q.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the stream reads: the node to connect to, at most `max_fps` pictures a second, and the
/// part of the picture to keep (`region`, in the cropped picture's pixels; `None`: all of it).
pub struct StreamSpec {
    pub node: u32,
    pub max_fps: u32,
    pub region: Option<Rect>,
}

/// Connects to `node` over the portal's PipeWire connection `fd`, on a new thread. Returns once
/// the stream is connecting (errors before that are returned here; later ones end up in
/// [`Latest::ended`]).
pub fn spawn(fd: OwnedFd, spec: StreamSpec, shared: Arc<Shared>) -> Result<StreamThread> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<()>>();
    let (quit_tx, quit_rx) = pw::channel::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("scrim-pipewire".into())
        .spawn(move || {
            let fail = |e: String| Error::new(ErrorKind::BadInput, format!("the screen-cast stream: {e}"));
            let s = shared.clone();
            let run = move || -> Result<()> {
                pw::init();
                let main_loop = pw::main_loop::MainLoopRc::new(None).map_err(|e| fail(e.to_string()))?;
                let context = pw::context::ContextRc::new(&main_loop, None).map_err(|e| fail(e.to_string()))?;
                let core = context
                    .connect_fd_rc(fd, None)
                    .map_err(|e| fail(format!("cannot connect to PipeWire: {e}")))?;
                let core_shared = s.clone();
                let _core_listener = core
                    .add_listener_local()
                    .error(move |id, _seq, res, message| {
                        // id 0 is the core: the connection to the daemon broke
                        if id == 0 {
                            core_shared.end(format!("PipeWire connection failed ({res}): {message}"));
                        }
                    })
                    .register();
                // the producer's node going away is the end of the cast (the stream itself
                // only pauses)
                let registry = core.get_registry_rc().map_err(|e| fail(e.to_string()))?;
                let node_shared = s.clone();
                let node = spec.node;
                let _registry_listener = registry
                    .add_listener_local()
                    .global_remove(move |id| {
                        if id == node {
                            node_shared.end("the screen cast ended (its PipeWire stream went away)".into());
                        }
                    })
                    .register();
                let props = pw::properties::properties! {
                    *pw::keys::MEDIA_TYPE => "Video",
                    *pw::keys::MEDIA_CATEGORY => "Capture",
                    *pw::keys::MEDIA_ROLE => "Screen",
                };
                let stream =
                    pw::stream::StreamRc::new(core.clone(), "scrim", props).map_err(|e| fail(e.to_string()))?;
                let _listener = stream
                    .add_local_listener_with_user_data(Consumer::new(s.clone(), spec.region))
                    .state_changed(|_, c, _, new| c.state_changed(new))
                    .param_changed(|stream, c, id, param| c.param_changed(stream, id, param))
                    .process(|stream, c| c.process(stream))
                    .register()
                    .map_err(|e| fail(e.to_string()))?;
                let format = format_pod(spec.max_fps)?;
                let mut params = [Pod::from_bytes(&format).expect("a serialised pod")];
                stream
                    .connect(
                        Direction::Input,
                        Some(spec.node),
                        StreamFlags::AUTOCONNECT | StreamFlags::MAP_BUFFERS,
                        &mut params,
                    )
                    .map_err(|e| fail(format!("cannot connect to node {}: {e}", spec.node)))?;
                let ml = main_loop.clone();
                let _quit = quit_rx.attach(main_loop.loop_(), move |_| ml.quit());
                let _ = ready_tx.send(Ok(()));
                main_loop.run();
                let _ = stream.disconnect();
                Ok(())
            };
            if let Err(e) = run() {
                shared.end(e.to_string());
            }
        })
        .map_err(|e| Error::new(ErrorKind::BadInput, format!("cannot start the PipeWire thread: {e}")))?;
    let mut t = StreamThread {
        quit: Some(quit_tx),
        thread: Some(thread),
    };
    match ready_rx.recv_timeout(Duration::from_secs(10)) {
        Ok(r) => r?,
        // the thread ended before it was ready: its reason is in `ended`
        Err(_) => {
            t.quit.take();
            return Err(Error::new(ErrorKind::BadInput, "the PipeWire stream did not start"));
        }
    }
    Ok(t)
}

fn serialise(obj: Object) -> Result<Vec<u8>> {
    PodSerializer::serialize(std::io::Cursor::new(Vec::new()), &Value::Object(obj))
        .map(|(c, _)| c.into_inner())
        .map_err(|e| Error::new(ErrorKind::BadInput, format!("cannot build a PipeWire parameter: {e:?}")))
}

fn choice<T: spa::pod::CanonicalFixedSizedPod>(e: ChoiceEnum<T>) -> Choice<T> {
    Choice(ChoiceFlags::empty(), e)
}

fn prop(key: u32, value: Value) -> Property {
    Property {
        key,
        flags: PropertyFlags::empty(),
        value,
    }
}

fn spa_format(f: PixelFormat) -> VideoFormat {
    match f {
        PixelFormat::Bgrx => VideoFormat::BGRx,
        PixelFormat::Rgbx => VideoFormat::RGBx,
        PixelFormat::Bgra => VideoFormat::BGRA,
        PixelFormat::Rgba => VideoFormat::RGBA,
        PixelFormat::Xrgb => VideoFormat::xRGB,
        PixelFormat::Xbgr => VideoFormat::xBGR,
        PixelFormat::Argb => VideoFormat::ARGB,
        PixelFormat::Abgr => VideoFormat::ABGR,
        PixelFormat::Rgb => VideoFormat::RGB,
        PixelFormat::Bgr => VideoFormat::BGR,
        PixelFormat::I420 => VideoFormat::I420,
        PixelFormat::Nv12 => VideoFormat::NV12,
    }
}

fn pixel_format(f: VideoFormat) -> Option<PixelFormat> {
    PixelFormat::OFFERED.into_iter().find(|p| spa_format(*p) == f)
}

/// EnumFormat: raw video in the formats scrim reads, any size, up to `max_fps` (no modifier
/// property: shared memory, not DMA-BUF).
fn format_pod(max_fps: u32) -> Result<Vec<u8>> {
    let formats: Vec<Id> = PixelFormat::OFFERED
        .iter()
        .map(|f| Id(spa_format(*f).as_raw()))
        .collect();
    let rect = |width, height| Rectangle { width, height };
    let frac = |num, denom| Fraction { num, denom };
    serialise(Object {
        type_: SpaTypes::ObjectParamFormat.as_raw(),
        id: ParamType::EnumFormat.as_raw(),
        properties: vec![
            prop(
                FormatProperties::MediaType.as_raw(),
                Value::Id(Id(MediaType::Video.as_raw())),
            ),
            prop(
                FormatProperties::MediaSubtype.as_raw(),
                Value::Id(Id(MediaSubtype::Raw.as_raw())),
            ),
            prop(
                FormatProperties::VideoFormat.as_raw(),
                Value::Choice(ChoiceValue::Id(choice(ChoiceEnum::Enum {
                    default: formats[0],
                    alternatives: formats.clone(),
                }))),
            ),
            prop(
                FormatProperties::VideoSize.as_raw(),
                Value::Choice(ChoiceValue::Rectangle(choice(ChoiceEnum::Range {
                    default: rect(1920, 1080),
                    min: rect(1, 1),
                    max: rect(crate::frame::MAX_SIDE, crate::frame::MAX_SIDE),
                }))),
            ),
            prop(
                FormatProperties::VideoFramerate.as_raw(),
                Value::Choice(ChoiceValue::Fraction(choice(ChoiceEnum::Range {
                    default: frac(0, 1),
                    min: frac(0, 1),
                    max: frac(1000, 1),
                }))),
            ),
            prop(
                FormatProperties::VideoMaxFramerate.as_raw(),
                Value::Choice(ChoiceValue::Fraction(choice(ChoiceEnum::Range {
                    default: frac(max_fps.max(1), 1),
                    min: frac(1, 1),
                    max: frac(max_fps.max(1), 1),
                }))),
            ),
        ],
    })
}

/// Buffers: shared memory only (MemFd, MemPtr), so every buffer can be mapped and read.
fn buffers_pod() -> Result<Vec<u8>> {
    let types = (1 << spa::sys::SPA_DATA_MemFd) | (1 << spa::sys::SPA_DATA_MemPtr);
    serialise(Object {
        type_: SpaTypes::ObjectParamBuffers.as_raw(),
        id: ParamType::Buffers.as_raw(),
        properties: vec![prop(
            spa::sys::SPA_PARAM_BUFFERS_dataType,
            Value::Choice(ChoiceValue::Int(Choice(
                ChoiceFlags::empty(),
                ChoiceEnum::Flags {
                    default: types,
                    flags: vec![],
                },
            ))),
        )],
    })
}

/// A metadata scrim reads: header (corrupted flag), crop, transform.
fn meta_pod(kind: u32, size: usize) -> Result<Vec<u8>> {
    serialise(Object {
        type_: SpaTypes::ObjectParamMeta.as_raw(),
        id: ParamType::Meta.as_raw(),
        properties: vec![
            prop(spa::sys::SPA_PARAM_META_type, Value::Id(Id(kind))),
            prop(spa::sys::SPA_PARAM_META_size, Value::Int(size as i32)),
        ],
    })
}

/// The stream thread's state, in the listener's user data.
struct Consumer {
    shared: Arc<Shared>,
    region: Option<Rect>,
    format: Option<(PixelFormat, u32, u32)>,
    /// The picture before the newest: reused for the next conversion once nobody holds it.
    spare: Option<Arc<Frame>>,
    last_note: Option<String>,
    streaming: bool,
}

impl Consumer {
    fn new(shared: Arc<Shared>, region: Option<Rect>) -> Consumer {
        Consumer {
            shared,
            region,
            format: None,
            spare: None,
            last_note: None,
            streaming: false,
        }
    }

    fn state_changed(&mut self, new: StreamState) {
        match new {
            StreamState::Error(e) => self.shared.end(format!("the screen-cast stream failed: {e}")),
            // after it streamed, unconnected means the producer went away (the cast ended)
            StreamState::Unconnected if self.streaming => self.shared.end("the screen-cast stream ended".into()),
            StreamState::Streaming => self.streaming = true,
            _ => {}
        }
    }

    fn param_changed(&mut self, stream: &pw::stream::Stream, id: u32, param: Option<&Pod>) {
        let Some(param) = param else { return };
        if id != ParamType::Format.as_raw() {
            return;
        }
        let mut info = VideoInfoRaw::new();
        if let Err(e) = info.parse(param) {
            self.shared.end(format!(
                "the screen-cast stream sent a format scrim cannot parse: {e:?}"
            ));
            return;
        }
        let Some(format) = pixel_format(info.format()) else {
            let offered: Vec<&str> = PixelFormat::OFFERED.iter().map(|f| f.name()).collect();
            self.shared.end(format!(
                "the screen-cast stream chose video format {:?}, which scrim cannot read (it offered {})",
                info.format(),
                offered.join(", ")
            ));
            return;
        };
        let size = info.size();
        self.format = Some((format, size.width, size.height));
        let desc = format!("{} {}x{}", format.name(), size.width, size.height);
        self.shared.update(|l| l.format = Some(desc));
        let header = std::mem::size_of::<spa::sys::spa_meta_header>();
        let region = std::mem::size_of::<spa::sys::spa_meta_region>();
        let transform = std::mem::size_of::<spa::sys::spa_meta_videotransform>();
        let pods = [
            buffers_pod(),
            meta_pod(spa::sys::SPA_META_Header, header),
            meta_pod(spa::sys::SPA_META_VideoCrop, region),
            meta_pod(spa::sys::SPA_META_VideoTransform, transform),
        ];
        let pods: Vec<Vec<u8>> = match pods.into_iter().collect() {
            Ok(p) => p,
            Err(e) => return self.shared.end(e.to_string()),
        };
        let mut params: Vec<&Pod> = pods
            .iter()
            .map(|b| Pod::from_bytes(b).expect("a serialised pod"))
            .collect();
        if let Err(e) = stream.update_params(&mut params) {
            self.shared
                .end(format!("the screen-cast stream refused scrim's buffer parameters: {e}"));
        }
    }

    fn process(&mut self, stream: &pw::stream::Stream) {
        // the newest buffer only: dropping an older one queues it back to the producer
        let mut newest = None;
        while let Some(b) = stream.dequeue_buffer() {
            newest = Some(b);
        }
        let Some(mut buffer) = newest else { return };
        let Some((format, width, height)) = self.format else {
            return;
        };
        if buffer
            .find_meta::<MetaHeader>()
            .is_some_and(|h| h.flags().contains(MetaHeaderFlags::CORRUPTED))
        {
            return;
        }
        let crop = buffer.find_meta::<MetaVideoCrop>().and_then(|c| {
            let r = c.meta_region();
            r.is_valid()
                .then(|| (r.position().x, r.position().y, r.size().width, r.size().height))
        });
        let transform = Transform::of_meta(&buffer);
        let datas = buffer.datas_mut();
        if datas.is_empty() || datas[0].chunk().size() == 0 {
            return; // no picture in this one (e.g. only the cursor moved)
        }
        let spare = self.spare.take().and_then(|a| Arc::try_unwrap(a).ok());
        let frame = match read_buffer(datas, format, width, height, crop, self.region, spare) {
            Ok((frame, note)) => {
                if note.is_some() && note != self.last_note {
                    self.shared.update(|l| l.note = note.clone());
                }
                self.last_note = note;
                transform.upright(frame)
            }
            Err(e) => return self.shared.end(e.to_string()),
        };
        let frame = Arc::new(frame);
        self.shared.update(|l| {
            self.spare = l.frame.replace(frame);
            l.seq += 1;
        });
    }
}

/// The buffer's picture, cropped as the producer asks (if that lies inside it) and then to
/// `region`; also a note when the producer's crop had to be ignored.
fn read_buffer(
    datas: &mut [spa::buffer::Data],
    format: PixelFormat,
    width: u32,
    height: u32,
    crop: Option<(i32, i32, u32, u32)>,
    region: Option<Rect>,
    spare: Option<Frame>,
) -> Result<(Frame, Option<String>)> {
    let mut planes = Vec::new();
    for d in datas.iter_mut().take(format.planes()) {
        let kind = d.type_();
        let (offset, stride, size) = (d.chunk().offset(), d.chunk().stride(), d.chunk().size());
        let Some(mem) = d.data() else {
            return Err(Error::new(
                ErrorKind::BadInput,
                format!("the screen-cast buffer ({kind:?}) is not mapped into memory"),
            ));
        };
        if stride < 0 {
            return Err(Error::new(
                ErrorKind::BadInput,
                "the screen-cast buffer is bottom-up (negative stride)",
            ));
        }
        // the chunk says which part of the memory holds this picture
        let end = (offset as usize).saturating_add(size as usize).min(mem.len());
        let mem: &[u8] = &mem[..end];
        planes.push(Plane {
            data: mem,
            offset: offset as usize,
            stride: stride as usize,
        });
    }
    let pic = if planes.len() >= format.planes() {
        Picture {
            format,
            width,
            height,
            planes,
        }
    } else {
        Picture::split_single(format, width, height, planes[0])
    };
    let (crop, note) = match pixels::crop_rect(crop, width, height) {
        Ok(c) => (c, None),
        Err(why) => (
            Rect::new(0, 0, width, height),
            Some(format!("{why}; using the whole picture")),
        ),
    };
    let keep = match region {
        None => crop,
        Some(r) => {
            let inside = Rect::new(crop.x + r.x.min(crop.w), crop.y + r.y.min(crop.h), r.w, r.h);
            if !crop.contains(inside) {
                return Err(Error::new(
                    ErrorKind::BadInput,
                    format!(
                        "the region {}x{} at {},{} is not inside the {}x{} screen",
                        r.w, r.h, r.x, r.y, crop.w, crop.h
                    ),
                ));
            }
            inside
        }
    };
    Ok((pixels::to_frame(&pic, keep, spare)?, note))
}
