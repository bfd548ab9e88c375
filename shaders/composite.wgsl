// Masked composite: out = frame * (1 - a) + layer * a, with a = mask / 255, in integers
// rounded half up, exactly as the CPU computes it. The layer is the frame with a style applied
// everywhere (a full-frame blur for background blur); the mask is one byte per pixel, packed four
// to a word. Used with its own bind group: binding 2 is the layer, binding 3 the mask.

@group(0) @binding(0) var<storage, read_write> frame: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read> layer: array<u32>;
@group(0) @binding(3) var<storage, read> mask: array<u32>;

@compute @workgroup_size(16, 16)
fn composite(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= params.frame.x || id.y >= params.frame.y) {
        return;
    }
    let i = id.y * params.frame.x + id.x;
    let a = (mask[i / 4u] >> ((i % 4u) * 8u)) & 0xffu;
    let o = unpack(frame[i]);
    let l = unpack(layer[i]);
    frame[i] = pack((o * (255u - a) + l * a + vec4<u32>(127u)) / vec4<u32>(255u));
}
