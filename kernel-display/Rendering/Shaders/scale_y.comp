#version 450
// Vertical pass: output width x source height -> output size, packed to 8-bit RGBA.
layout(local_size_x = 16, local_size_y = 16) in;
#include "common.glsl"

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= p.dstW || y >= p.dstH) { return; }
    vec4 sum = vec4(0.0);
    int base = y * p.tapsPerY;
    for (int k = 0; k < p.tapsPerY; k++) {
        sum += weightsY.w[base + k] * mid.px[tapsY.index[base + k] * p.dstW + x];
    }
    dst.px[y * p.dstW + x] = packRgba(sum.rgb);
}
