// Blur in four kinds of dispatch, mirroring CpuRedactor step for step:
//   downscale: region -> low-res plane (box mean over scale x scale cells)
//   box_h / box_v: three rounds of separable box passes at low resolution, clamped edges
//   upscale: low-res plane -> region, bilinear, rounded as floor(v + 0.5)
// Large radii cost little: the passes run on 1/scale^2 of the pixels.

@compute @workgroup_size(16, 16)
fn downscale(@builtin(global_invocation_id) id: vec3<u32>) {
    let lw = params.low.x;
    let lh = params.low.y;
    if (id.x >= lw || id.y >= lh) {
        return;
    }
    let s = params.frame.z;
    let x0 = id.x * s;
    let y0 = id.y * s;
    let x1 = min(x0 + s, params.rect.z);
    let y1 = min(y0 + s, params.rect.w);
    var sum = vec4<u32>(0u);
    for (var y = y0; y < y1; y++) {
        for (var x = x0; x < x1; x++) {
            sum += unpack(frame[frame_index(x, y)]);
        }
    }
    let n = f32((x1 - x0) * (y1 - y0));
    dst[id.y * lw + id.x] = vec4<f32>(sum) / n;
}

fn box_pass(id: vec3<u32>, horizontal: bool) {
    let lw = params.low.x;
    let lh = params.low.y;
    if (id.x >= lw || id.y >= lh) {
        return;
    }
    let r = i32(params.frame.w);
    var acc = vec4<f32>(0.0);
    for (var k = -r; k <= r; k++) {
        if (horizontal) {
            let x = u32(clamp(i32(id.x) + k, 0, i32(lw) - 1));
            acc += src[id.y * lw + x];
        } else {
            let y = u32(clamp(i32(id.y) + k, 0, i32(lh) - 1));
            acc += src[y * lw + id.x];
        }
    }
    dst[id.y * lw + id.x] = acc * (1.0 / f32(2 * r + 1));
}

@compute @workgroup_size(16, 16)
fn box_h(@builtin(global_invocation_id) id: vec3<u32>) {
    box_pass(id, true);
}

@compute @workgroup_size(16, 16)
fn box_v(@builtin(global_invocation_id) id: vec3<u32>) {
    box_pass(id, false);
}

@compute @workgroup_size(16, 16)
fn upscale(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= params.rect.z || id.y >= params.rect.w) {
        return;
    }
    let lw = params.low.x;
    let lh = params.low.y;
    let s = f32(params.frame.z);
    let sx = clamp((f32(id.x) + 0.5) / s - 0.5, 0.0, f32(lw - 1u));
    let sy = clamp((f32(id.y) + 0.5) / s - 0.5, 0.0, f32(lh - 1u));
    let x0 = u32(floor(sx));
    let y0 = u32(floor(sy));
    let x1 = min(x0 + 1u, lw - 1u);
    let y1 = min(y0 + 1u, lh - 1u);
    let fx = sx - f32(x0);
    let fy = sy - f32(y0);
    let top = src[y0 * lw + x0] * (1.0 - fx) + src[y0 * lw + x1] * fx;
    let bottom = src[y1 * lw + x0] * (1.0 - fx) + src[y1 * lw + x1] * fx;
    let v = top * (1.0 - fy) + bottom * fy;
    let c = clamp(floor(v + vec4<f32>(0.5)), vec4<f32>(0.0), vec4<f32>(255.0));
    frame[frame_index(id.x, id.y)] = pack(vec4<u32>(c));
}
