namespace Aqs.Kernel.Network.Fec;

/// <summary>m = ceil(k x ratio) within [min, max], keyframes with their own ratio; a fixed starting point.</summary>
public sealed class FixedRatioParity : IParityPolicy
{
    private readonly double _ratio;
    private readonly double _keyframeRatio;
    private readonly int _min;
    private readonly int _max;

    public FixedRatioParity(double ratio, double keyframeRatio, int min = 0, int max = 64)
    {
        if (ratio < 0 || keyframeRatio < 0 || min < 0 || max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), $"need ratios >= 0 and 0 <= min <= max: ratio={ratio}, keyframe={keyframeRatio}, min={min}, max={max}");
        }
        _ratio = ratio;
        _keyframeRatio = keyframeRatio;
        _min = min;
        _max = max;
    }

    public int ParityShards(int dataShards, bool keyframe)
    {
        var m = (int)Math.Ceiling(dataShards * (keyframe ? _keyframeRatio : _ratio));
        return Math.Min(Math.Clamp(m, _min, _max), 255 - dataShards);
    }
}
