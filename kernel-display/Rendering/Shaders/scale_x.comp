#version 450
// Horizontal pass of the separable resampler: source width -> output width, per source row. Taps and weights come
// from ScaleFilter (bilinear, bicubic or Lanczos), computed once on the CPU per size pair.
layout(local_size_x = 16, local_size_y = 16) in;
#include "common.glsl"

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= p.dstW || y >= p.srcH) { return; }
    vec4 sum = vec4(0.0);
    int base = x * p.tapsPerX;
    for (int k = 0; k < p.tapsPerX; k++) {
        sum += weightsX.w[base + k] * linear.px[y * p.srcW + tapsX.index[base + k]];
    }
    mid.px[y * p.dstW + x] = sum;
}
