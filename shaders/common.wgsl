// Shared by every redaction shader (prepended by the Rust side): the frame as packed RGBA8
// words (byte 0 = red), one parameter block per dispatch (dynamic uniform offset), and two
// low-resolution float planes used by the blur.

struct Params {
    // region: x, y, w, h (frame pixels)
    rect: vec4<u32>,
    // frame width, frame height, mosaic block or blur scale, blur low-res radius
    frame: vec4<u32>,
    // solid colour r, g, b; unused
    color: vec4<u32>,
    // blur low-res width, height; unused; unused
    low: vec4<u32>,
}

@group(0) @binding(0) var<storage, read_write> frame: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;

fn unpack(p: u32) -> vec4<u32> {
    return vec4<u32>(p & 0xffu, (p >> 8u) & 0xffu, (p >> 16u) & 0xffu, p >> 24u);
}

fn pack(c: vec4<u32>) -> u32 {
    return (c.x & 0xffu) | ((c.y & 0xffu) << 8u) | ((c.z & 0xffu) << 16u) | ((c.w & 0xffu) << 24u);
}

fn frame_index(x: u32, y: u32) -> u32 {
    return (params.rect.y + y) * params.frame.x + params.rect.x + x;
}
