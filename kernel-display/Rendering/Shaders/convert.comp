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

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= p.srcW || y >= p.srcH) { return; }
    float scale = float(1 << (p.bitDepth - 8));
    float maxValue = float((1 << p.bitDepth) - 1);
    float luma = sampleAt(p.off0, p.stride0, x, y);
    float yn; float cb = 0.0; float cr = 0.0;
    if (p.fullRange != 0) { yn = luma / maxValue; } else { yn = (luma - 16.0 * scale) / (219.0 * scale); }
    if (p.planes == 3) {
        int cw = (p.srcW + (1 << p.shiftX) - 1) >> p.shiftX;
        int ch = (p.srcH + (1 << p.shiftY) - 1) >> p.shiftY;
        float cx = float(x) / float(1 << p.shiftX);
        float cy = p.shiftY == 1 ? (float(y) + 0.5) * 0.5 - 0.5 : float(y);
        float u = chromaAt(p.off1, p.stride1, cx, cy, cw, ch);
        float v = chromaAt(p.off2, p.stride2, cx, cy, cw, ch);
        float mid = float(1 << (p.bitDepth - 1));
        if (p.fullRange != 0) { cb = (u - mid) / maxValue; cr = (v - mid) / maxValue; }
        else { cb = (u - 128.0 * scale) / (224.0 * scale); cr = (v - 128.0 * scale) / (224.0 * scale); }
    }
    float kg = 1.0 - p.kr - p.kb;
    float r = yn + 2.0 * (1.0 - p.kr) * cr;
    float b = yn + 2.0 * (1.0 - p.kb) * cb;
    float g = (yn - p.kr * r - p.kb * b) / kg;
    vec3 rgb = vec3(r, g, b);
    if (p.directOut != 0) {
        dst.px[y * p.srcW + x] = packRgba(rgb);
    } else {
        linear.px[y * p.srcW + x] = vec4(rgb, 1.0);
    }
}
