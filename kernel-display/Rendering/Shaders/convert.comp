#version 450
// Planar YUV (8/10/12-bit, 4:2:0/4:2:2/4:4:4/gray) to RGB with the stream's matrix and range, at the source size.
// Chroma is sited as H.264/HEVC default it (MPEG-2 "left": co-sited horizontally, centred vertically in 4:2:0) and
// interpolated bilinearly. Writes linear-light-free gamma RGB in 0..1 to the Linear buffer, or straight to the packed
// output when no scaling follows (directOut).
layout(local_size_x = 16, local_size_y = 16) in;
#include "common.glsl"

float sampleAt(int offset, int stride, int x, int y) {
    int o = offset + y * stride + x * p.bytesPerSample;
    uint word = src.words[o >> 2];
    if (p.bytesPerSample == 1) {
        return float((word >> ((o & 3) * 8)) & 0xFFu);
    }
    return float((word >> ((o & 2) * 8)) & 0xFFFFu);
}

float chromaAt(int offset, int stride, float cx, float cy, int cw, int ch) {
    float fx = clamp(cx, 0.0, float(cw - 1));
    float fy = clamp(cy, 0.0, float(ch - 1));
    int x0 = int(floor(fx)); int y0 = int(floor(fy));
    int x1 = min(x0 + 1, cw - 1); int y1 = min(y0 + 1, ch - 1);
    float ax = fx - float(x0); float ay = fy - float(y0);
    float top = mix(sampleAt(offset, stride, x0, y0), sampleAt(offset, stride, x1, y0), ax);
    float bottom = mix(sampleAt(offset, stride, x0, y1), sampleAt(offset, stride, x1, y1), ax);
    return mix(top, bottom, ay);
}

vec3 toRgb(float luma, float u, float v) {
    float scale = float(1 << (p.bitDepth - 8));
    float maxValue = float((1 << p.bitDepth) - 1);
    float yn; float cb = 0.0; float cr = 0.0;
    if (p.fullRange != 0) { yn = luma / maxValue; } else { yn = (luma - 16.0 * scale) / (219.0 * scale); }
    if (p.planes == 3) {
        float mid = float(1 << (p.bitDepth - 1));
        if (p.fullRange != 0) { cb = (u - mid) / maxValue; cr = (v - mid) / maxValue; }
        else { cb = (u - 128.0 * scale) / (224.0 * scale); cr = (v - 128.0 * scale) / (224.0 * scale); }
    }
    float r = yn + 2.0 * (1.0 - p.kr) * cr;
    float b = yn + 2.0 * (1.0 - p.kb) * cb;
    float g = (yn - p.kr * r - p.kb * b) / (1.0 - p.kr - p.kb);
    return vec3(r, g, b);
}

void store(int x, int y, vec3 rgb) {
    if (x >= p.srcW || y >= p.srcH) { return; }
    if (p.directOut != 0) {
        dst.px[y * p.srcW + x] = packRgba(rgb);
    } else {
        linear.px[y * p.srcW + x] = vec4(rgb, 1.0);
    }
}

// 4:2:0: one invocation per 2x2 luma block shares its chroma: columns i, i+1 and rows j-1, j, j+1 (clamped) give
// exactly the clamped bilinear values the per-pixel path computes (co-sited even columns, odd ones halfway; rows
// a quarter above and below), with 12 chroma reads for four pixels instead of 32.
void block420() {
    int i = int(gl_GlobalInvocationID.x);
    int j = int(gl_GlobalInvocationID.y);
    int cw = (p.srcW + 1) >> 1;
    int ch = (p.srcH + 1) >> 1;
    if (i >= cw || j >= ch) { return; }
    int i1 = min(i + 1, cw - 1);
    int up = max(j - 1, 0);
    int down = min(j + 1, ch - 1);
    vec2 a0 = vec2(sampleAt(p.off1, p.stride1, i, up), sampleAt(p.off2, p.stride2, i, up));
    vec2 a1 = vec2(sampleAt(p.off1, p.stride1, i1, up), sampleAt(p.off2, p.stride2, i1, up));
    vec2 b0 = vec2(sampleAt(p.off1, p.stride1, i, j), sampleAt(p.off2, p.stride2, i, j));
    vec2 b1 = vec2(sampleAt(p.off1, p.stride1, i1, j), sampleAt(p.off2, p.stride2, i1, j));
    vec2 c0 = vec2(sampleAt(p.off1, p.stride1, i, down), sampleAt(p.off2, p.stride2, i, down));
    vec2 c1 = vec2(sampleAt(p.off1, p.stride1, i1, down), sampleAt(p.off2, p.stride2, i1, down));
    // The block's top row sits a quarter above chroma row j, its bottom row a quarter below (at the edges the
    // clamped neighbour is row j itself, as clamped bilinear gives).
    vec2 top0 = mix(a0, b0, 0.75);
    vec2 top1 = mix(a1, b1, 0.75);
    vec2 bottom0 = mix(c0, b0, 0.75);
    vec2 bottom1 = mix(c1, b1, 0.75);
    int x = 2 * i;
    int y = 2 * j;
    store(x, y, toRgb(sampleAt(p.off0, p.stride0, x, y), top0.x, top0.y));
    store(x + 1, y, toRgb(x + 1 < p.srcW ? sampleAt(p.off0, p.stride0, x + 1, y) : 0.0, 0.5 * (top0.x + top1.x), 0.5 * (top0.y + top1.y)));
    if (y + 1 < p.srcH) {
        store(x, y + 1, toRgb(sampleAt(p.off0, p.stride0, x, y + 1), bottom0.x, bottom0.y));
        store(x + 1, y + 1, toRgb(x + 1 < p.srcW ? sampleAt(p.off0, p.stride0, x + 1, y + 1) : 0.0, 0.5 * (bottom0.x + bottom1.x), 0.5 * (bottom0.y + bottom1.y)));
    }
}

void main() {
    if (p.planes == 3 && p.shiftX == 1 && p.shiftY == 1) {
        block420();
        return;
    }
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= p.srcW || y >= p.srcH) { return; }
    float u = 0.0; float v = 0.0;
    if (p.planes == 3) {
        int cw = (p.srcW + (1 << p.shiftX) - 1) >> p.shiftX;
        int ch = (p.srcH + (1 << p.shiftY) - 1) >> p.shiftY;
        float cx = float(x) / float(1 << p.shiftX);
        float cy = p.shiftY == 1 ? (float(y) + 0.5) * 0.5 - 0.5 : float(y);
        u = chromaAt(p.off1, p.stride1, cx, cy, cw, ch);
        v = chromaAt(p.off2, p.stride2, cx, cy, cw, ch);
    }
    store(x, y, toRgb(sampleAt(p.off0, p.stride0, x, y), u, v));
}
