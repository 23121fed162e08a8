using Aqs.Engine.Config;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Encode.Encoding;

/// <summary>
/// <c>--color-range</c>: the sample range the encoded stream carries. When it differs from the source's (an unspecified
/// source counts as limited, as every decoder reads it), the samples are converted by libswscale before encoding
/// and the stream is tagged with the chosen range, so a player shows the same picture either way.
/// </summary>
public static class EncodedRange
{
    /// <summary>The conversion the encoder's input needs (null: none).</summary>
    public static (bool FromFull, bool ToFull)? Conversion(ColorDescription source, ColorRangeChoice? choice)
    {
        if (choice is not { } wanted)
        {
            return null;
        }
        var fromFull = source.IsFullRange;
        var toFull = wanted == ColorRangeChoice.Full;
        return fromFull == toFull ? null : (fromFull, toFull);
    }

    /// <summary>The colour description the encoded stream declares.</summary>
    public static ColorDescription Tag(ColorDescription source, ColorRangeChoice? choice) => choice switch
    {
        ColorRangeChoice.Full => source.WithRange(ColorDescription.RangeFull),
        ColorRangeChoice.Limited => source.WithRange(ColorDescription.RangeLimited),
        _ => source,
    };
}
