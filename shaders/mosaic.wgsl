// Mosaic: one invocation per block (aligned to the region's corner, clipped to it). The block
// becomes its mean colour, rounded half up in integers, exactly as the CPU path computes it.

@compute @workgroup_size(8, 8)
fn mosaic(@builtin(global_invocation_id) id: vec3<u32>) {
    let b = params.frame.z;
    let x0 = id.x * b;
    let y0 = id.y * b;
    if (x0 >= params.rect.z || y0 >= params.rect.w) {
        return;
    }
    let x1 = min(x0 + b, params.rect.z);
    let y1 = min(y0 + b, params.rect.w);
    var sum = vec4<u32>(0u);
    for (var y = y0; y < y1; y++) {
        for (var x = x0; x < x1; x++) {
            sum += unpack(frame[frame_index(x, y)]);
        }
    }
    let n = (x1 - x0) * (y1 - y0);
    let mean = pack((sum + vec4<u32>(n / 2u)) / vec4<u32>(n));
    for (var y = y0; y < y1; y++) {
        for (var x = x0; x < x1; x++) {
            frame[frame_index(x, y)] = mean;
        }
    }
}
