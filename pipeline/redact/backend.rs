//! Which redactor runs: a hardware GPU when there is one, otherwise the CPU.
//!
//! A software adapter (lavapipe, llvmpipe: `DeviceType::Cpu`) runs the shaders on the CPU with
//! more overhead than the rayon path, so `auto` uses it only when asked (`--backend gpu`). No
//! adapter, or one that fails to start, is not an error: scrim says why and uses the CPU.
//!
//! `auto` probes the adapters only where a hardware GPU can exist (a DRM render node or an
//! NVIDIA device): the probe costs ~0.2 s and loads every Vulkan and EGL driver, for nothing on a
//! machine without one.

use super::{CpuRedactor, GpuRedactor, Redactor};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum BackendChoice {
    /// A hardware GPU if present, else the CPU
    #[default]
    Auto,
    /// Any GPU adapter, including software ones (lavapipe/llvmpipe); the CPU if there is none
    Gpu,
    /// The CPU (rayon)
    Cpu,
}

/// An adapter as `scrim doctor` and reports describe it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AdapterSummary {
    pub name: String,
    pub backend: String,
    pub device_type: String,
    pub driver: String,
}

fn summary(a: &wgpu::Adapter) -> AdapterSummary {
    let i = a.get_info();
    AdapterSummary {
        name: i.name,
        backend: format!("{:?}", i.backend),
        device_type: format!("{:?}", i.device_type),
        driver: format!("{} {}", i.driver, i.driver_info).trim().to_string(),
    }
}

fn all_adapters() -> Vec<wgpu::Adapter> {
    // from_env: WGPU_BACKEND / WGPU_ADAPTER_NAME narrow the choice when set; all backends otherwise,
    // so GL stays the fallback where Vulkan is missing.
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()))
}

/// Every adapter wgpu can see.
pub fn adapters() -> Vec<AdapterSummary> {
    all_adapters().iter().map(summary).collect()
}

/// Preference order: discrete, integrated, virtual, then software; Vulkan before GL.
fn rank(a: &wgpu::Adapter) -> (u8, u8) {
    let i = a.get_info();
    let t = match i.device_type {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Cpu => 3,
        wgpu::DeviceType::Other => 4,
    };
    (t, if i.backend == wgpu::Backend::Vulkan { 0 } else { 1 })
}

fn is_hardware(a: &wgpu::Adapter) -> bool {
    rank(a).0 <= 2
}

/// Whether this machine has a device a hardware GPU adapter could sit on: a DRM render node
/// (`/dev/dri/renderD*`, Mesa and AMD/Intel drivers) or NVIDIA's proprietary device.
pub fn hardware_gpu_possible() -> bool {
    let render_node = std::fs::read_dir("/dev/dri").is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    render_node || std::path::Path::new("/dev/nvidia0").exists()
}

/// Why the chosen redactor is not what was asked for. `warning`: the user should hear about it
/// on every run (a GPU they asked for, or one that is there, could not be used); otherwise it is
/// the expected outcome of `auto` and only `scrim doctor` shows it.
#[derive(Debug, Clone)]
pub struct Note {
    pub text: String,
    pub warning: bool,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The redactor for `choice`, and a note for the user when the choice had to fall back.
pub fn select(choice: BackendChoice) -> (Box<dyn Redactor>, Option<Note>) {
    let note = |text: String, warning: bool| Some(Note { text, warning });
    if choice == BackendChoice::Cpu {
        return (Box::new(CpuRedactor), None);
    }
    if choice == BackendChoice::Auto && !hardware_gpu_possible() {
        let text = "no GPU device (no /dev/dri render node); redacting on the CPU".to_string();
        return (Box::new(CpuRedactor), note(text, false));
    }
    let mut adapters = all_adapters();
    adapters.sort_by_key(rank);
    let pick = match choice {
        BackendChoice::Gpu => adapters.first(),
        _ => adapters.iter().find(|a| is_hardware(a)),
    };
    let Some(adapter) = pick else {
        let text = match (choice, adapters.first()) {
            (BackendChoice::Gpu, _) => "no GPU adapter found; redacting on the CPU".to_string(),
            (_, Some(soft)) => format!(
                "no hardware GPU; software adapter {} is slower than the CPU path, so redacting on the CPU (--backend gpu forces it)",
                soft.get_info().name
            ),
            (_, None) => "no GPU adapter found; redacting on the CPU".to_string(),
        };
        return (Box::new(CpuRedactor), note(text, choice == BackendChoice::Gpu));
    };
    match GpuRedactor::new(adapter) {
        Ok(gpu) => (Box::new(gpu), None),
        Err(e) => (Box::new(CpuRedactor), note(format!("{e}; redacting on the CPU"), true)),
    }
}
