using Aqs.Engine;
using Aqs.Kernel.Encode.Encoding;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Encode.Tests.Infrastructure;

/// <summary>
/// The real encoder in a simulation: the moving texture as the luma of a 4:2:0 picture (grey chroma) through Kernel
/// C's own <see cref="RungEncoders"/> and encoder recipe, libx264 at the rung, preset and bitrate the engine chose.
/// Frame sizes are what x264 makes of the content, not a model's.
/// </summary>
internal sealed class X264SimEncoder : ISimEncoder, IDisposable
{
    private readonly FrameLayout _layout;
    private readonly byte[] _frame;
    private readonly RungEncoders _encoders;
    private readonly Func<Aqs.Engine.Config.ResolvedConfig?> _config;

    public X264SimEncoder(int width, int height, Func<Aqs.Engine.Config.ResolvedConfig?> config)
    {
        _layout = new FrameLayout(width, height, PixelFormat.Yuv420p);
        _frame = new byte[_layout.FrameSize];
        _frame.AsSpan(_layout.Offset(1)).Fill(128);
        _config = config;
        _encoders = new RungEncoders(_layout, key => RungEncoderSettings.For("libx264", key, _layout, ColorDescription.Unknown, _config(), threads: 1, keyframeInterval: 120), _ => { });
    }

    public int Encode(AqsDecision decision, ReadOnlySpan<byte> luma)
    {
        luma.CopyTo(_frame);
        _encoders.Send(PlanarFrame.FromPacked(_layout, _frame), new EncoderKey(decision.Rung, decision.Preset), decision.BitrateBps, decision.FrameId, decision.ForceKeyframe);
        var bytes = 0;
        while (_encoders.Current!.TryReceive(out var packet))
        {
            bytes += packet.Data.Length;
        }
        return bytes;
    }

    public void Dispose() => _encoders.Dispose();
}
