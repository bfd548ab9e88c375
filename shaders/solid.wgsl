// Solid fill: every pixel of the region becomes the colour (alpha 255). Irreversible.

@compute @workgroup_size(16, 16)
fn solid(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= params.rect.z || id.y >= params.rect.w) {
        return;
    }
    frame[frame_index(id.x, id.y)] = pack(vec4<u32>(params.color.xyz, 255u));
}
