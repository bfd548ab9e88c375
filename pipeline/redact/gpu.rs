//! The GPU redactor: the WGSL shaders in `shaders/` through wgpu, headless.
//!
//! Pipelines, bind-group layout and buffers are made once and reused; buffers grow when a larger
//! frame arrives. Only the band of rows that holds regions is uploaded and read back, and every
//! dispatch covers one region, never the whole frame. Dispatches run in order (wgpu puts a
//! barrier between dispatches that share a buffer), so overlapping regions compose exactly as on
//! the CPU.

use std::sync::mpsc;

use bytemuck::{Pod, Zeroable};

use super::{blur_plan, check_mask, Mask, Redaction, Redactor, Style};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};

const COMMON: &str = include_str!("../../shaders/common.wgsl");
const REGIONS: &str = include_str!("../../shaders/regions.wgsl");
const COMPOSITE: &str = include_str!("../../shaders/composite.wgsl");
const SOLID: &str = include_str!("../../shaders/solid.wgsl");
const MOSAIC: &str = include_str!("../../shaders/mosaic.wgsl");
const BLUR: &str = include_str!("../../shaders/blur.wgsl");

/// Parameters of one dispatch; mirrors `Params` in `shaders/common.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct Params {
    rect: [u32; 4],
    frame: [u32; 4],
    color: [u32; 4],
    low: [u32; 4],
}

/// Dynamic uniform offsets must be multiples of this (the WebGPU minimum, valid everywhere).
const PARAM_STRIDE: u64 = 256;

struct Pipelines {
    solid: wgpu::ComputePipeline,
    mosaic: wgpu::ComputePipeline,
    downscale: wgpu::ComputePipeline,
    box_h: wgpu::ComputePipeline,
    box_v: wgpu::ComputePipeline,
    upscale: wgpu::ComputePipeline,
    composite: wgpu::ComputePipeline,
}

/// Buffers sized for the largest frame and blur seen so far.
struct Buffers {
    frame: wgpu::Buffer,
    /// The composite's redacted layer, and its mask (a byte per pixel).
    layer: wgpu::Buffer,
    mask: wgpu::Buffer,
    readback: wgpu::Buffer,
    params: wgpu::Buffer,
    // owned here so they live as long as the bind groups that name them
    _low_a: wgpu::Buffer,
    _low_b: wgpu::Buffer,
    /// src = A, dst = B and the reverse: the blur ping-pongs between them.
    ab: wgpu::BindGroup,
    ba: wgpu::BindGroup,
    /// The same two with the layer in place of the frame, and the composite's group.
    ab_layer: wgpu::BindGroup,
    ba_layer: wgpu::BindGroup,
    composite: wgpu::BindGroup,
    frame_bytes: u64,
    params_count: u64,
    low_bytes: u64,
}

pub struct GpuRedactor {
    device: wgpu::Device,
    queue: wgpu::Queue,
    info: wgpu::AdapterInfo,
    layout: wgpu::BindGroupLayout,
    composite_layout: wgpu::BindGroupLayout,
    pipelines: Pipelines,
    buffers: Option<Buffers>,
    max_buffer: u64,
}

fn gpu_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Inference, format!("GPU {what}: {e}"))
}

impl GpuRedactor {
    /// Opens a device on `adapter` and compiles the shaders. A shader that does not compile is
    /// an error here, not at the first frame.
    pub fn new(adapter: &wgpu::Adapter) -> Result<Self> {
        let info = adapter.get_info();
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("scrim"),
            required_features: wgpu::Features::empty(),
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|e| gpu_error("device", e))?;
        let max_buffer = limits.max_storage_buffer_binding_size.min(limits.max_buffer_size);
        let storage = |binding, read_only| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Storage { read_only },
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        };
        let params_entry = wgpu::BindGroupLayoutEntry {
            binding: 1,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Uniform,
                has_dynamic_offset: true,
                min_binding_size: wgpu::BufferSize::new(std::mem::size_of::<Params>() as u64),
            },
            count: None,
        };
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("regions"),
            entries: &[storage(0, false), params_entry, storage(2, true), storage(3, false)],
        });
        let composite_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("composite"),
            entries: &[storage(0, false), params_entry, storage(2, true), storage(3, true)],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("regions"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let composite_pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("composite"),
            bind_group_layouts: &[Some(&composite_layout)],
            immediate_size: 0,
        });
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = |name: &str, body: &str| {
            device.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(name),
                source: wgpu::ShaderSource::Wgsl(format!("{COMMON}\n{body}").into()),
            })
        };
        let (solid_m, mosaic_m, blur_m, composite_m) = (
            module("solid", &format!("{REGIONS}\n{SOLID}")),
            module("mosaic", &format!("{REGIONS}\n{MOSAIC}")),
            module("blur", &format!("{REGIONS}\n{BLUR}")),
            module("composite", COMPOSITE),
        );
        let pipeline_with = |layout: &wgpu::PipelineLayout, m: &wgpu::ShaderModule, entry: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: Some(layout),
                module: m,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        let pipeline = |m: &wgpu::ShaderModule, entry: &str| pipeline_with(&pipeline_layout, m, entry);
        let pipelines = Pipelines {
            solid: pipeline(&solid_m, "solid"),
            mosaic: pipeline(&mosaic_m, "mosaic"),
            downscale: pipeline(&blur_m, "downscale"),
            box_h: pipeline(&blur_m, "box_h"),
            box_v: pipeline(&blur_m, "box_v"),
            upscale: pipeline(&blur_m, "upscale"),
            composite: pipeline_with(&composite_pipeline_layout, &composite_m, "composite"),
        };
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(gpu_error("shader compilation", e));
        }
        Ok(GpuRedactor {
            device,
            queue,
            info,
            layout,
            composite_layout,
            pipelines,
            buffers: None,
            max_buffer,
        })
    }

    pub fn adapter_info(&self) -> &wgpu::AdapterInfo {
        &self.info
    }

    /// Makes sure the buffers fit a frame of `frame_bytes`, `params` dispatches and a blur plane
    /// of `low_bytes`; grows (never shrinks) them.
    fn ensure_buffers(&mut self, frame_bytes: u64, params: u64, low_bytes: u64) {
        let fits = self
            .buffers
            .as_ref()
            .is_some_and(|b| b.frame_bytes >= frame_bytes && b.params_count >= params && b.low_bytes >= low_bytes);
        if fits {
            return;
        }
        let old = self.buffers.take();
        let frame_bytes = frame_bytes.max(old.as_ref().map_or(0, |b| b.frame_bytes));
        let params = params.max(old.as_ref().map_or(0, |b| b.params_count)).max(16);
        let low_bytes = low_bytes.max(old.as_ref().map_or(0, |b| b.low_bytes)).max(16);
        let buf = |label, size, usage| {
            self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size,
                usage,
                mapped_at_creation: false,
            })
        };
        use wgpu::BufferUsages as U;
        let frame = buf("frame", frame_bytes, U::STORAGE | U::COPY_DST | U::COPY_SRC);
        let layer = buf("layer", frame_bytes, U::STORAGE | U::COPY_DST);
        let mask = buf(
            "mask",
            (frame_bytes / 4).next_multiple_of(4).max(4),
            U::STORAGE | U::COPY_DST,
        );
        let readback = buf("readback", frame_bytes, U::MAP_READ | U::COPY_DST);
        let params_buf = buf("params", params * PARAM_STRIDE, U::UNIFORM | U::COPY_DST);
        let low_a = buf("low-a", low_bytes, U::STORAGE);
        let low_b = buf("low-b", low_bytes, U::STORAGE);
        let group = |target: &wgpu::Buffer, layout: &wgpu::BindGroupLayout, src: &wgpu::Buffer, dst: &wgpu::Buffer| {
            self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("redact"),
                layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: target.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                            buffer: &params_buf,
                            offset: 0,
                            size: wgpu::BufferSize::new(std::mem::size_of::<Params>() as u64),
                        }),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: src.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 3,
                        resource: dst.as_entire_binding(),
                    },
                ],
            })
        };
        let ab = group(&frame, &self.layout, &low_a, &low_b);
        let ba = group(&frame, &self.layout, &low_b, &low_a);
        let ab_layer = group(&layer, &self.layout, &low_a, &low_b);
        let ba_layer = group(&layer, &self.layout, &low_b, &low_a);
        let composite = group(&frame, &self.composite_layout, &layer, &mask);
        self.buffers = Some(Buffers {
            frame,
            layer,
            mask,
            ab_layer,
            ba_layer,
            composite,
            readback,
            params: params_buf,
            _low_a: low_a,
            _low_b: low_b,
            ab,
            ba,
            frame_bytes,
            params_count: params,
            low_bytes,
        });
    }
}

/// One dispatch: which pipeline, which bind group (blur ping-pong), how many workgroups.
#[derive(Clone, Copy)]
enum Kernel {
    Solid,
    Mosaic,
    Downscale,
    BoxH,
    BoxV,
    Upscale,
    Composite,
}

/// One dispatch: kernel, its parameters, workgroup counts, and whether it binds the blur's
/// B->A group (else A->B).
type Dispatch = (Kernel, Params, [u32; 3], bool);

/// The dispatches for `regions` (already clipped, non-empty) and the blur plane they need.
fn plan(regions: &[(Rect, Style)], fw: u32, fh: u32) -> (Vec<Dispatch>, u64) {
    let mut dispatches: Vec<Dispatch> = Vec::new();
    let mut low_bytes = 16u64;
    for &(rect, style) in regions {
        let mut p = Params {
            rect: [rect.x, rect.y, rect.w, rect.h],
            frame: [fw, fh, 0, 0],
            color: [0; 4],
            low: [0; 4],
        };
        let groups16 = [rect.w.div_ceil(16), rect.h.div_ceil(16), 1];
        match style {
            Style::Solid { color } => {
                p.color = [color[0] as u32, color[1] as u32, color[2] as u32, 0];
                dispatches.push((Kernel::Solid, p, groups16, false));
            }
            Style::Mosaic { block } => {
                let b = block.max(1);
                p.frame[2] = b;
                dispatches.push((
                    Kernel::Mosaic,
                    p,
                    [rect.w.div_ceil(b).div_ceil(8), rect.h.div_ceil(b).div_ceil(8), 1],
                    false,
                ));
            }
            Style::Blur { radius } => {
                let plan = blur_plan(rect, radius);
                p.frame[2] = plan.scale;
                p.frame[3] = plan.low_radius;
                p.low = [plan.low_w, plan.low_h, 0, 0];
                low_bytes = low_bytes.max(plan.low_w as u64 * plan.low_h as u64 * 16);
                let low_groups = [plan.low_w.div_ceil(16), plan.low_h.div_ceil(16), 1];
                // downscale writes A (group B->A), then A->B horizontally, B->A vertically
                dispatches.push((Kernel::Downscale, p, low_groups, true));
                for _ in 0..3 {
                    dispatches.push((Kernel::BoxH, p, low_groups, false));
                    dispatches.push((Kernel::BoxV, p, low_groups, true));
                }
                dispatches.push((Kernel::Upscale, p, groups16, false));
            }
        }
    }
    (dispatches, low_bytes)
}

impl Redactor for GpuRedactor {
    fn backend(&self) -> String {
        format!(
            "gpu: {} ({:?}, {:?})",
            self.info.name, self.info.backend, self.info.device_type
        )
    }

    fn apply(&mut self, frame: &mut Frame, redactions: &[Redaction]) -> Result<()> {
        let bounds = frame.bounds();
        let regions: Vec<(Rect, Style)> = redactions
            .iter()
            .map(|r| (r.rect.intersect(bounds), r.style))
            .filter(|(r, s)| !r.is_empty() && !matches!(s, Style::Blur { radius: 0 }))
            .collect();
        if regions.is_empty() {
            return Ok(());
        }
        let (dispatches, low_bytes) = plan(&regions, frame.width(), frame.height());
        // Only the rows that hold regions travel; regions never read outside themselves.
        let band = regions.iter().fold(Rect::default(), |acc, (r, _)| acc.union(*r));
        self.run(frame, &dispatches, low_bytes, band, None)
    }

    fn composite(&mut self, frame: &mut Frame, style: Style, mask: &Mask) -> Result<()> {
        check_mask(frame, mask)?;
        let (fw, fh) = (frame.width(), frame.height());
        let (mut dispatches, low_bytes) = plan(&[(frame.bounds(), style)], fw, fh);
        let p = Params {
            rect: [0, 0, fw, fh],
            frame: [fw, fh, 0, 0],
            color: [0; 4],
            low: [0; 4],
        };
        dispatches.push((Kernel::Composite, p, [fw.div_ceil(16), fh.div_ceil(16), 1], false));
        self.run(frame, &dispatches, low_bytes, frame.bounds(), Some(mask))
    }
}

impl GpuRedactor {
    /// Uploads the `band` rows, runs `dispatches` in order, reads the band back. With a mask, the
    /// style dispatches work on the layer (a copy of the frame) and the last one composites.
    fn run(
        &mut self,
        frame: &mut Frame,
        dispatches: &[Dispatch],
        low_bytes: u64,
        band: Rect,
        mask: Option<&Mask>,
    ) -> Result<()> {
        let (fw, fh) = (frame.width(), frame.height());
        let frame_bytes = fw as u64 * fh as u64 * 4;
        if frame_bytes > self.max_buffer {
            return Err(gpu_error(
                "frame",
                format!("{fw}x{fh} exceeds the adapter's {} byte buffer limit", self.max_buffer),
            ));
        }
        self.ensure_buffers(frame_bytes, dispatches.len() as u64, low_bytes);
        let b = self.buffers.as_ref().expect("buffers were just made");
        let row = fw as u64 * 4;
        let (off, len) = (band.y as u64 * row, band.h as u64 * row);
        let rows = &frame.data()[off as usize..(off + len) as usize];
        self.queue.write_buffer(&b.frame, off, rows);
        if let Some(m) = mask {
            self.queue.write_buffer(&b.layer, off, rows);
            let mut packed = m.alpha().to_vec();
            packed.resize(packed.len().next_multiple_of(4), 0);
            self.queue.write_buffer(&b.mask, 0, &packed);
        }
        let mut staged = vec![0u8; dispatches.len() * PARAM_STRIDE as usize];
        for (i, d) in dispatches.iter().enumerate() {
            let at = i * PARAM_STRIDE as usize;
            staged[at..at + std::mem::size_of::<Params>()].copy_from_slice(bytemuck::bytes_of(&d.1));
        }
        self.queue.write_buffer(&b.params, 0, &staged);

        let mut enc = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("redact") });
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("redact"),
                timestamp_writes: None,
            });
            let on_layer = mask.is_some();
            for (i, (kernel, _, groups, use_ba)) in dispatches.iter().enumerate() {
                let pipeline = match kernel {
                    Kernel::Solid => &self.pipelines.solid,
                    Kernel::Mosaic => &self.pipelines.mosaic,
                    Kernel::Downscale => &self.pipelines.downscale,
                    Kernel::BoxH => &self.pipelines.box_h,
                    Kernel::BoxV => &self.pipelines.box_v,
                    Kernel::Upscale => &self.pipelines.upscale,
                    Kernel::Composite => &self.pipelines.composite,
                };
                let group = match (kernel, on_layer, use_ba) {
                    (Kernel::Composite, _, _) => &b.composite,
                    (_, true, true) => &b.ba_layer,
                    (_, true, false) => &b.ab_layer,
                    (_, false, true) => &b.ba,
                    (_, false, false) => &b.ab,
                };
                pass.set_pipeline(pipeline);
                pass.set_bind_group(0, group, &[(i as u64 * PARAM_STRIDE) as u32]);
                pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
            }
        }
        enc.copy_buffer_to_buffer(&b.frame, off, &b.readback, 0, len);
        self.queue.submit([enc.finish()]);

        let slice = b.readback.slice(0..len);
        let (tx, rx) = mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |r| {
            let _ = tx.send(r);
        });
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| gpu_error("wait", e))?;
        rx.recv()
            .map_err(|e| gpu_error("readback", e))?
            .map_err(|e| gpu_error("readback", e))?;
        {
            let view = slice.get_mapped_range().map_err(|e| gpu_error("readback", e))?;
            frame.data_mut()[off as usize..(off + len) as usize].copy_from_slice(&view);
        }
        b.readback.unmap();
        Ok(())
    }
}
