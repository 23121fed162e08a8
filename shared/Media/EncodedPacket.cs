namespace Aqs.Shared.Media;

/// <summary>One compressed frame; <see cref="Data"/> points into the encoder's packet and is valid until its next call.</summary>
public readonly ref struct EncodedPacket
{
    public ReadOnlySpan<byte> Data { get; }
    public long Pts { get; }
    public long Dts { get; }
    public bool IsKeyframe { get; }
    public FrameStats Stats { get; }

    public EncodedPacket(ReadOnlySpan<byte> data, long pts, long dts, bool isKeyframe, FrameStats stats)
    {
        Data = data;
        Pts = pts;
        Dts = dts;
        IsKeyframe = isKeyframe;
        Stats = stats;
    }
}
