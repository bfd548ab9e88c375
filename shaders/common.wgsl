// Shared by every redaction shader (prepended by the Rust side): the parameter block of one
// dispatch (a dynamic uniform offset picks it) and RGBA8 packing (byte 0 = red).

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

fn unpack(p: u32) -> vec4<u32> {
    return vec4<u32>(p & 0xffu, (p >> 8u) & 0xffu, (p >> 16u) & 0xffu, p >> 24u);
}

fn pack(c: vec4<u32>) -> u32 {
    return (c.x & 0xffu) | ((c.y & 0xffu) << 8u) | ((c.z & 0xffu) << 16u) | ((c.w & 0xffu) << 24u);
}

