using System.Buffers;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Network.Egress;

/// <summary>
/// A copy of one encoded frame on its way to an egress thread: the enc ring slot is released at once, so a slow
/// receiver never holds up our own transport. The bytes are rented; <see cref="Return"/> gives them back.
/// </summary>
public readonly record struct EgressFrame(byte[] Buffer, int Length, long PtsNs, long DurationNs, bool Keyframe, bool RungSwitch,
    VideoCodec Codec, int Width, int Height)
{
    public ReadOnlySpan<byte> Data => Buffer.AsSpan(0, Length);

    public static EgressFrame Copy(ReadOnlySpan<byte> payload, long ptsNs, long durationNs, bool keyframe, bool rungSwitch, VideoCodec codec, int width, int height)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, payload.Length));
        payload.CopyTo(buffer);
        return new EgressFrame(buffer, payload.Length, ptsNs, durationNs, keyframe, rungSwitch, codec, width, height);
    }

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
