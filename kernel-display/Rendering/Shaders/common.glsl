// Shared by every pass: one descriptor set, one push-constant block (see VulkanConverter.PushConstants).
layout(std430, set = 0, binding = 0) readonly buffer Source { uint words[]; } src;
layout(std430, set = 0, binding = 1) buffer Linear { vec4 px[]; } linear;     // source size, RGB in 0..1
layout(std430, set = 0, binding = 2) buffer Mid { vec4 px[]; } mid;           // output width x source height
layout(std430, set = 0, binding = 3) writeonly buffer Output { uint px[]; } dst; // packed 8-bit RGBA (or BGRA)
layout(std430, set = 0, binding = 4) readonly buffer TapsX { int index[]; } tapsX; // per output column: taps indices
layout(std430, set = 0, binding = 5) readonly buffer WeightsX { float w[]; } weightsX;
layout(std430, set = 0, binding = 6) readonly buffer TapsY { int index[]; } tapsY;
layout(std430, set = 0, binding = 7) readonly buffer WeightsY { float w[]; } weightsY;

layout(push_constant) uniform Params {
    int srcW; int srcH; int dstW; int dstH;
    int bytesPerSample; int shiftX; int shiftY; int planes;
    int off0; int off1; int off2; int stride0;
    int stride1; int stride2; int bitDepth; int fullRange;
    int directOut; int swapRB; int tapsPerX; int tapsPerY;
    float kr; float kb;
} p;

uint packRgba(vec3 rgb) {
    vec3 c = clamp(rgb, 0.0, 1.0) * 255.0 + 0.5;
    uvec3 u = uvec3(c);
    if (p.swapRB != 0) { u = u.bgr; }
    return u.r | (u.g << 8) | (u.b << 16) | (255u << 24);
}
