using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Display.References;

/// <summary>
/// Source frames kept by time, not by count, so that a frame presented seconds late is still measured against its
/// source: the keeper thread copies every <c>ref</c> slot in here as it is published (kernel-preprocess never waits
/// for the display), and references leave when the quality worker has passed them, when they are older than
/// <see cref="Keep"/>, or, oldest first, when the bytes held exceed the memory budget. A reference that had to
/// leave before its frame was measured leaves that frame unmeasured ("reference not kept"); it never holds the
/// stream back. Payloads stay as kernel-preprocess stored them (losslessly compressed with
/// <c>--ref-compression</c>), so compression there stretches the same budget over more time. Thread-safe.
/// </summary>
public sealed class ReferenceStore
{
    private readonly List<ReferenceFrame> _frames = []; // frame id order
    private readonly Stack<ReferenceFrame> _free = new();
    private readonly object _gate = new();
    private long _bytes;
    private long _added;
    private long _evicted;
    private long _passed;
    private long _maxSpanNs;
    private long _maxBytes;

    public ReferenceStore(TimeSpan keep, long memoryBudgetBytes)
    {
        if (keep <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(keep), keep, "references must be kept for a positive time");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryBudgetBytes);
        Keep = keep;
        MemoryBudgetBytes = memoryBudgetBytes;
    }

    /// <summary>The default budget: a quarter of the memory this process may use, at most 4 GiB.</summary>
    public static long DefaultMemoryBudget => Math.Min(4L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    public TimeSpan Keep { get; }
    public long MemoryBudgetBytes { get; }

    public long Added { get { lock (_gate) { return _added; } } }

    /// <summary>References that left for age or memory before the quality worker passed them.</summary>
    public long Evicted { get { lock (_gate) { return _evicted; } } }

    /// <summary>References released because no frame could need them any more.</summary>
    public long Passed { get { lock (_gate) { return _passed; } } }

    /// <summary>Longest stretch of capture time held at once, in ms.</summary>
    public double MaxSpanMs { get { lock (_gate) { return _maxSpanNs / 1e6; } } }

    /// <summary>Most bytes held at once.</summary>
    public long MaxBytes { get { lock (_gate) { return _maxBytes; } } }

    public int Count { get { lock (_gate) { return _frames.Count; } } }

    /// <summary>The layout of the newest source frame (the size the display renders at); null before the first.</summary>
    public FrameLayout? SourceLayout { get { lock (_gate) { return _frames.Count > 0 ? _frames[^1].Layout : _lastLayout; } } }

    private FrameLayout? _lastLayout;

    /// <summary>Copies one ref slot in (the keeper thread); then lets go of what is too old or over budget.</summary>
    public void Add(in SlotHeader header, ReadOnlySpan<byte> payload, long nowNs)
    {
        var length = Math.Min(header.PayloadLength, payload.Length);
        ReferenceFrame frame;
        lock (_gate)
        {
            if (_frames.Count > 0 && header.FrameId <= _frames[^1].FrameId)
            {
                // Ids went backwards: the source restarted. Nothing held can match what comes now.
                while (_frames.Count > 0)
                {
                    RemoveFirst(evicted: false);
                }
            }
            frame = _free.Count > 0 ? _free.Pop() : new ReferenceFrame(length);
        }
        frame.EnsureCapacity(length);
        payload[..length].CopyTo(frame.Payload);
        frame.Header = header;
        frame.FrameId = header.FrameId;
        frame.CaptureNs = header.CaptureTimeNs;
        frame.Layout = header.Layout;
        frame.Color = new ColorDescription(header.ColorRange, header.ColorPrimaries, header.ColorTransfer, header.ColorMatrix);
        frame.Evicted = false;
        frame.Readers = 0;
        lock (_gate)
        {
            _lastLayout = frame.Layout;
            _frames.Add(frame);
            _added++;
            _bytes += frame.Payload.Length;
            _maxBytes = Math.Max(_maxBytes, _bytes);
            var keepNs = (long)Keep.TotalNanoseconds;
            while (_frames.Count > 1 && (_frames[0].CaptureNs < nowNs - keepNs || _bytes > MemoryBudgetBytes))
            {
                RemoveFirst(evicted: true);
            }
            _maxSpanNs = Math.Max(_maxSpanNs, _frames[^1].CaptureNs - _frames[0].CaptureNs);
        }
    }

    /// <summary>The reference of <paramref name="frameId"/>, held until <see cref="Release"/>; false when it is not (or no longer) here.</summary>
    public bool TryAcquire(long frameId, out ReferenceFrame frame)
    {
        lock (_gate)
        {
            var i = IndexOf(frameId);
            if (i < 0)
            {
                frame = null!;
                return false;
            }
            frame = _frames[i];
            frame.Readers++;
            return true;
        }
    }

    /// <summary>
    /// The newest reference captured at or before <paramref name="captureNs"/> (the source frame due on screen at a
    /// moment), held until <see cref="Release"/>; false when none is held that old.
    /// </summary>
    public bool TryAcquireDue(long captureNs, out ReferenceFrame frame)
    {
        lock (_gate)
        {
            int lo = 0, hi = _frames.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_frames[mid].CaptureNs <= captureNs)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            if (found < 0)
            {
                frame = null!;
                return false;
            }
            frame = _frames[found];
            frame.Readers++;
            return true;
        }
    }

    public void Release(ReferenceFrame frame)
    {
        lock (_gate)
        {
            frame.Readers--;
            if (frame.Readers == 0 && frame.Evicted)
            {
                _free.Push(frame);
            }
        }
    }

    /// <summary>No frame older than <paramref name="frameId"/> will be measured any more: let their references go.</summary>
    public void PassBefore(long frameId)
    {
        lock (_gate)
        {
            while (_frames.Count > 0 && _frames[0].FrameId < frameId)
            {
                RemoveFirst(evicted: false);
            }
        }
    }

    /// <summary>True when a reference of <paramref name="frameId"/> was once here and left early (age or memory).</summary>
    public bool IsOlderThanHeld(long frameId)
    {
        lock (_gate)
        {
            return _frames.Count == 0 || frameId < _frames[0].FrameId;
        }
    }

    private int IndexOf(long frameId)
    {
        int lo = 0, hi = _frames.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var id = _frames[mid].FrameId;
            if (id == frameId)
            {
                return mid;
            }
            if (id < frameId)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private void RemoveFirst(bool evicted)
    {
        var frame = _frames[0];
        _frames.RemoveAt(0);
        _bytes -= frame.Payload.Length;
        if (evicted)
        {
            _evicted++;
        }
        else
        {
            _passed++;
        }
        frame.Evicted = true;
        if (frame.Readers == 0)
        {
            _free.Push(frame);
        }
    }
}
