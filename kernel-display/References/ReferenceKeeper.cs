using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display.References;

/// <summary>
/// A thread that drains the <c>ref</c> ring into a <see cref="ReferenceStore"/> as fast as kernel-preprocess publishes
/// (a copy per frame), so the ring never fills and the source never waits for the display, however late the
/// display is. Ends when the producer closes the ring or <see cref="Dispose"/> is called.
/// </summary>
public sealed class ReferenceKeeper : IDisposable
{
    private readonly FrameReader _reader;
    private readonly ReferenceStore _store;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile string? _failure;

    public ReferenceKeeper(FrameReader reader, ReferenceStore store)
    {
        _reader = reader;
        _store = store;
        // Above the rest: a copy per frame is cheap, and a starved keeper leaves the source's frames without references.
        _thread = new Thread(Run) { IsBackground = true, Name = "ref-keeper", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Why the keeper stopped early (a damaged ring), if it did.</summary>
    public string? Failure => _failure;

    /// <summary>True once the producer closed the ring and everything published is in the store.</summary>
    public bool Ended { get; private set; }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                var status = _reader.TryRead(TimeSpan.FromMilliseconds(50), out var slot);
                if (status == ReadStatus.Closed)
                {
                    Ended = true;
                    return;
                }
                if (status != ReadStatus.Frame)
                {
                    _reader.Heartbeat();
                    continue;
                }
                _store.Add(slot.Header, slot.Payload, MonotonicClock.NowNs);
                _reader.Release();
            }
        }
        catch (Exception ex) when (ex is RingException or InvalidDataException or ArgumentException)
        {
            _failure = ex.Message;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }
}
