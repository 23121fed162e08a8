using Aqs.Shared.Frames;
using System.Globalization;

namespace Aqs.Shared.Media;

/// <summary>
/// Turns <see cref="EncoderSettings"/> into AVOptions on an unopened AVCodecContext: the generic ones
/// (b, maxrate, bufsize, g, bf, threads, qmin, qmax) plus each wrapper's private ones. Only the frame rate has
/// no AVOption and is written at its <see cref="AvLayout"/> offset.
/// </summary>
internal static class EncoderOptions
{
    public static void Apply(SafeAvCodecContextHandle context, KnownEncoder encoder, EncoderSettings s, int avPixelFormat)
    {
        var ctx = context.DangerousGetHandle();
        Set(ctx, "video_size", $"{s.Width}x{s.Height}");
        SetInt(ctx, "pixel_format", avPixelFormat);
        AvError.ThrowIfError(Interop.AvUtil.av_opt_set_q(ctx, "time_base", new Interop.AVRational(s.FpsDen, s.FpsNum), 0), "av_opt_set_q(time_base)");
        NativeStruct.CodecContext(context).Write(AvLayout.AVCodecContext_framerate, new Interop.AVRational(s.FpsNum, s.FpsDen));
        SetInt(ctx, "threads", s.Threads);
        if (s.KeyframeInterval > 0)
        {
            SetInt(ctx, "g", s.KeyframeInterval);
        }
        if (s.LowLatency)
        {
            SetInt(ctx, "bf", 0);
        }
        if (s.QpMin >= 0)
        {
            SetInt(ctx, "qmin", s.QpMin);
        }
        if (s.QpMax >= 0)
        {
            SetInt(ctx, "qmax", s.QpMax);
        }
        // AVCodecContext's own AVOptions: each codec wrapper copies them into its bitstream's colour description.
        if (s.Color.Range != ColorDescription.RangeUnspecified)
        {
            SetInt(ctx, "color_range", s.Color.Range);
        }
        if (s.Color.Primaries != ColorDescription.Unspecified)
        {
            SetInt(ctx, "color_primaries", s.Color.Primaries);
        }
        if (s.Color.Transfer != ColorDescription.Unspecified)
        {
            SetInt(ctx, "color_trc", s.Color.Transfer);
        }
        if (s.Color.Matrix != ColorDescription.Unspecified)
        {
            SetInt(ctx, "colorspace", s.Color.Matrix);
        }
        if (s.GlobalHeader)
        {
            Set(ctx, "flags", "+global_header");
        }
        if (s.BitrateBps > 0)
        {
            SetInt(ctx, "b", s.BitrateBps);
            if (encoder.Family != EncoderFamily.SvtAv1) // SVT refuses maxrate == target; its low-delay mode is CBR anyway
            {
                SetInt(ctx, "maxrate", s.BitrateBps);
                SetInt(ctx, "bufsize", VbvBits(s.BitrateBps, s.VbvSeconds));
            }
            if (encoder.Family == EncoderFamily.Aom)
            {
                SetInt(ctx, "minrate", s.BitrateBps); // min == max == b selects AOM_CBR in libaomenc.c
            }
        }
        switch (encoder.Family)
        {
            case EncoderFamily.X264:
                Set(ctx, "preset", s.Preset);
                if (s.LowLatency)
                {
                    Set(ctx, "tune", "zerolatency");
                }
                SetInt(ctx, "forced-idr", 1);
                if (s.IntraRefresh)
                {
                    SetInt(ctx, "intra-refresh", 1);
                }
                break;
            case EncoderFamily.X265:
                Set(ctx, "preset", s.Preset);
                if (s.LowLatency)
                {
                    Set(ctx, "tune", "zerolatency");
                }
                SetInt(ctx, "forced-idr", 1);
                Set(ctx, "x265-params", s.IntraRefresh ? "log-level=error:intra-refresh=1" : "log-level=error");
                break;
            case EncoderFamily.SvtAv1:
                SetInt(ctx, "preset", SvtPreset(s.Preset));
                if (s.LowLatency)
                {
                    Set(ctx, "svtav1-params", "pred-struct=1");
                }
                break;
            case EncoderFamily.Aom:
                SetInt(ctx, "cpu-used", AomCpuUsed(s.Preset));
                SetInt(ctx, "row-mt", 1);
                if (s.LowLatency)
                {
                    Set(ctx, "usage", "realtime");
                    SetInt(ctx, "lag-in-frames", 0);
                }
                break;
            case EncoderFamily.Nvenc:
                Set(ctx, "preset", NvencPreset(s.Preset));
                if (s.LowLatency)
                {
                    Set(ctx, "tune", "ull");
                    SetInt(ctx, "zerolatency", 1);
                    Set(ctx, "rc", "cbr");
                }
                SetInt(ctx, "forced-idr", 1);
                if (s.IntraRefresh)
                {
                    SetInt(ctx, "intra-refresh", 1);
                }
                break;
            case EncoderFamily.Qsv:
                Set(ctx, "preset", s.Preset);
                SetInt(ctx, "forced_idr", 1);
                break;
            case EncoderFamily.Amf:
                if (s.LowLatency)
                {
                    Set(ctx, "usage", "ultralowlatency");
                }
                break;
            case EncoderFamily.Vaapi:
                break;
        }
    }

    public static long VbvBits(long bitrate, double seconds) => Math.Max(1, (long)(bitrate * seconds));

    public static void SetInt(IntPtr obj, string name, long value) =>
        AvError.ThrowIfError(Interop.AvUtil.av_opt_set_int(obj, name, value, Interop.AvUtil.AV_OPT_SEARCH_CHILDREN), $"av_opt_set_int({name}={value})");

    public static void Set(IntPtr obj, string name, string value) =>
        AvError.ThrowIfError(Interop.AvUtil.av_opt_set(obj, name, value, Interop.AvUtil.AV_OPT_SEARCH_CHILDREN), $"av_opt_set({name}={value})");

    /// <summary>x264 preset names onto SVT-AV1's 0 (slowest) .. 13 (fastest); a number passes through.</summary>
    private static int SvtPreset(string preset) => NumberOr(preset, preset switch
    {
        "ultrafast" => 12, "superfast" => 11, "veryfast" => 10, "faster" => 9, "fast" => 8,
        "medium" => 7, "slow" => 5, "slower" => 4, "veryslow" => 2, "placebo" => 0, _ => 10,
    });

    /// <summary>x264 preset names onto libaom's cpu-used 0 (slowest) .. 10 (realtime fastest).</summary>
    private static int AomCpuUsed(string preset) => NumberOr(preset, preset switch
    {
        "ultrafast" => 10, "superfast" => 9, "veryfast" => 8, "faster" => 7, "fast" => 6,
        "medium" => 5, "slow" => 4, "slower" => 3, "veryslow" => 2, "placebo" => 0, _ => 8,
    });

    private static string NvencPreset(string preset) => preset switch
    {
        "ultrafast" or "superfast" => "p1",
        "veryfast" => "p2",
        "faster" => "p3",
        "fast" => "p4",
        "medium" => "p5",
        "slow" => "p6",
        "slower" or "veryslow" or "placebo" => "p7",
        _ => preset,
    };

    private static int NumberOr(string text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;
}
