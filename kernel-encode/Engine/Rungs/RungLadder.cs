using Aqs.Engine.Config;

namespace Aqs.Engine.Rungs;

/// <summary>
/// Every rung the resolved limits allow: each height (widths keep the source's aspect, both even) × each frame rate
/// (even decimations of the source) × each bit depth. Built once per resolution of the config.
/// </summary>
public sealed class RungLadder
{
    public RungLadder(ResolvedConfig config)
    {
        var source = config.Source;
        var rungs = new List<Rung>();
        foreach (var height in config.Heights)
        {
            var width = height == source.Height ? source.Width : Math.Max(2, (int)Math.Round(source.Width * (double)height / source.Height / 2) * 2);
            foreach (var fps in config.FrameRates)
            {
                foreach (var depth in config.BitDepths)
                {
                    rungs.Add(new Rung(width, height, fps, (int)Math.Round(source.Fps / fps), depth));
                }
            }
        }
        Rungs = rungs;
        Top = rungs[0];
    }

    public IReadOnlyList<Rung> Rungs { get; }

    /// <summary>Largest, fastest, deepest rung allowed.</summary>
    public Rung Top { get; }

    public IEnumerable<int> Heights => Rungs.Select(r => r.Height).Distinct();
    public IEnumerable<double> FrameRates => Rungs.Select(r => r.Fps).Distinct();
}
