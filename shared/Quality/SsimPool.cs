namespace Aqs.Shared.Quality;

/// <summary>
/// Pools per-frame SSIM as FFmpeg's end-of-run <c>SSIM Y:… All:…</c> line does: the arithmetic mean of the
/// per-frame values (the dB figures follow from the means, see <see cref="SsimResult.AllDb"/>).
/// </summary>
public sealed class SsimPool
{
    private double _y, _u, _v, _all;

    /// <summary>Frames added so far.</summary>
    public long Count { get; private set; }

    public void Add(SsimResult frame)
    {
        _y += frame.Y;
        _u += frame.U;
        _v += frame.V;
        _all += frame.All;
        Count++;
    }

    public SsimResult Result
    {
        get
        {
            if (Count == 0)
            {
                throw new InvalidOperationException("ssim pool: no frames were added");
            }
            double n = Count;
            return new SsimResult(_y / n, _u / n, _v / n, _all / n);
        }
    }
}
