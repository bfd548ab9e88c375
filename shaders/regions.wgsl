// Bindings of the region kernels (solid, mosaic, blur): the frame as packed RGBA8 words, the
// dispatch's parameters, and two low-resolution float planes the blur ping-pongs between.

@group(0) @binding(0) var<storage, read_write> frame: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;

// Index of pixel (x, y) of the dispatch's region in the frame.
fn frame_index(x: u32, y: u32) -> u32 {
    return (params.rect.y + y) * params.frame.x + params.rect.x + x;
}
