using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Pictures;

/// <summary>
/// Reuses picture buffers so decoding allocates nothing per frame. A buffer too small for the current rung is let go
/// when it comes up, so after a switch to a larger rung the pool turns over once. Thread-safe: the decoder rents,
/// the presenter and the quality worker return.
/// </summary>
public sealed class PicturePool
{
    private readonly Stack<Picture> _free = new();
    private readonly object _gate = new();
    private int _allocated;

    /// <summary>Pictures ever allocated (stays small when the pool works).</summary>
    public int Allocated => Volatile.Read(ref _allocated);

    /// <summary>A picture laid out as <paramref name="layout"/>, held once by the caller.</summary>
    public Picture Rent(FrameLayout layout)
    {
        lock (_gate)
        {
            while (_free.TryPop(out var candidate))
            {
                if (candidate.Data.Length >= layout.FrameSize)
                {
                    candidate.Reset(layout);
                    return candidate;
                }
            }
        }
        Interlocked.Increment(ref _allocated);
        var picture = new Picture(this, layout.FrameSize);
        picture.Reset(layout);
        return picture;
    }

    internal void Return(Picture picture)
    {
        lock (_gate)
        {
            _free.Push(picture);
        }
    }
}
