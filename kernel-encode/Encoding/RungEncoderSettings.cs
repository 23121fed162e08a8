using Aqs.Engine.Config;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Kernel.Encode.Encoding;

/// <summary>How an encoder for a rung is opened: the one recipe Kernel C and the engine's real-encoder tests share.</summary>
public static class RungEncoderSettings
{
    /// <summary>
    /// libavcodec settings for <paramref name="key"/>. AQS on: intra refresh instead of periodic keyframes and a VBV
    /// of three frames, so frame sizes follow the budget; off: a fixed GOP of <paramref name="keyframeInterval"/>
    /// and a one-second VBV, as before the engine existed.
    /// </summary>
    public static EncoderSettings For(string codec, EncoderKey key, FrameLayout source, ColorDescription color, ResolvedConfig? config,
        int threads, int keyframeInterval)
    {
        var rung = key.Rung;
        var layout = RungEncoders.LayoutOf(source, rung);
        var (num, den) = ToRational(rung.Fps);
        var adaptive = config?.Enabled ?? true;
        return new EncoderSettings(codec, layout.Width, layout.Height, layout.Format, num, den, Math.Max(10_000, config?.StartBitrateBps ?? 4_000_000))
        {
            Preset = key.Preset,
            LowLatency = true,
            Threads = threads,
            KeyframeInterval = adaptive ? 0 : keyframeInterval,
            IntraRefresh = adaptive,
            VbvSeconds = adaptive ? 3.0 / rung.Fps : 1.0,
            Color = color,
        };
    }

    /// <summary>A frame rate as libavcodec's rational: NTSC rates keep their exact 1001 denominators, others milli-fps.</summary>
    public static (int Num, int Den) ToRational(double fps)
    {
        foreach (var ntsc in new[] { 24, 30, 60, 120 })
        {
            if (Math.Abs(fps - ntsc * 1000.0 / 1001) < 0.005)
            {
                return (ntsc * 1000, 1001);
            }
        }
        return Math.Abs(fps - Math.Round(fps)) < 1e-6 ? ((int)Math.Round(fps), 1) : ((int)Math.Round(fps * 1000), 1000);
    }
}
