namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// The six elementary features the vmaf_v0.6.1 model reads, as libvmaf's integer extractors compute them
/// (<c>integer_adm2</c>, <c>integer_motion2</c>, <c>integer_vif_scale0..3</c>).
/// </summary>
/// <param name="Adm2">Detail loss measure, 0..1 (can exceed 1 slightly where the distorted frame has more detail).</param>
/// <param name="Motion2">min(motion of this frame, motion of the next); 0 for the first frame.</param>
/// <param name="Vif0">Visual information fidelity at full resolution.</param>
/// <param name="Vif1">VIF at half resolution.</param>
/// <param name="Vif2">VIF at quarter resolution.</param>
/// <param name="Vif3">VIF at eighth resolution.</param>
public readonly record struct VmafFeatures(double Adm2, double Motion2, double Vif0, double Vif1, double Vif2, double Vif3)
{
    /// <summary>The value libvmaf's feature of this (short or full) name carries, or false for a feature we do not compute.</summary>
    internal static bool TryIndexOf(string featureName, out int index)
    {
        var name = featureName;
        foreach (var prefix in new[] { "VMAF_integer_feature_", "VMAF_feature_", "integer_" })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                name = name[prefix.Length..];
                break;
            }
        }
        if (name.EndsWith("_score", StringComparison.Ordinal))
        {
            name = name[..^"_score".Length];
        }
        index = name switch
        {
            "adm2" => 0,
            "motion2" => 1,
            "vif_scale0" => 2,
            "vif_scale1" => 3,
            "vif_scale2" => 4,
            "vif_scale3" => 5,
            _ => -1,
        };
        return index >= 0;
    }

    internal double this[int index] => index switch
    {
        0 => Adm2,
        1 => Motion2,
        2 => Vif0,
        3 => Vif1,
        4 => Vif2,
        5 => Vif3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
