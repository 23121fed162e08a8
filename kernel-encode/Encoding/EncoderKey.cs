using Aqs.Engine;

namespace Aqs.Kernel.Encode.Encoding;

/// <summary>What makes an encoder: the rung it encodes and its speed preset (neither changes on an open libx264).</summary>
public readonly record struct EncoderKey(Rung Rung, string Preset);
