using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Pictures;

/// <summary>
/// One decoded picture at the rung it was encoded at, copied out of the decoder (whose buffers live only until its
/// next call) into a pooled, tightly packed buffer, with the times the viewer's figures need. Shared by the
/// presenter (while it is on screen) and the quality worker (while it is measured): each holder takes a reference
/// with <see cref="AddRef"/> and gives it back with <see cref="Release"/>; the last one returns it to its pool.
/// </summary>
public sealed class Picture
{
    private readonly PicturePool? _pool;
    private int _references;

    internal Picture(PicturePool? pool, int capacity)
    {
        _pool = pool;
        Data = new byte[capacity];
    }

    /// <summary>A picture outside any pool (tests).</summary>
    public static Picture Standalone(FrameLayout layout)
    {
        var p = new Picture(null, layout.FrameSize) { Layout = layout };
        p._references = 1;
        return p;
    }

    public byte[] Data { get; }
    public FrameLayout Layout { get; internal set; }
    public long FrameId { get; set; }
    /// <summary>Capture time on this host's monotonic clock (the sender's, corrected by the clock offset).</summary>
    public long CaptureNs { get; set; }
    /// <summary>When the picture was decoded and ready to be shown.</summary>
    public long ReadyNs { get; set; }
    /// <summary>Set by the presenter when it became visible; 0 until then.</summary>
    public long PresentedNs { get; set; }
    public long DurationNs { get; set; }
    public bool IsKeyframe { get; set; }
    public ColorDescription Color { get; set; }
    /// <summary>Its SSIM against its own source frame once the quality worker measured it (NaN until then); only that worker touches it.</summary>
    public double Ssim { get; set; } = double.NaN;

    public PlanarFrame View => PlanarFrame.FromPacked(Layout, Data);

    public void AddRef() => Interlocked.Increment(ref _references);

    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _pool?.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"picture of frame {FrameId} released more often than it was held");
        }
    }

    internal void Reset(FrameLayout layout)
    {
        Layout = layout;
        PresentedNs = 0;
        Ssim = double.NaN;
        _references = 1;
    }
}
