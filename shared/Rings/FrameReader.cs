using System.Runtime.CompilerServices;
using Aqs.Shared.Timing;

namespace Aqs.Shared.Rings;

/// <summary>
/// One consumer of a ring, reading slots in place. Not thread-safe: use it from one thread.
/// Read with <see cref="TryRead"/>, use the slot, then <see cref="Release"/> it; a reliable
/// consumer holds the producer back until it releases (see <see cref="ConsumerPolicy"/>).
/// </summary>
/// <remarks>
/// Restarts. A consumer that attaches with the name of a consumer whose process died takes over its
/// cursor: if the producer had not detached it, it gets exactly the next unreleased frame (the one
/// it held when it died is delivered again, nothing is lost). If it had been detached (stale while
/// the producer was blocked), it resumes at its old cursor or at the oldest frame still in the ring,
/// whichever is newer, and <see cref="Skipped"/> counts what was lost. When the producer dies and a
/// new one re-attaches, sequences continue from the write cursor: a reliable consumer sees no
/// duplicate and no gap (a frame the dead producer had claimed but not published never existed).
/// </remarks>
public sealed partial class FrameReader : IDisposable
{
    private const long SpinNs = 20_000;

    private readonly MappedRing _ring;
    private readonly PosixSemaphore _wake;
    private readonly PosixSemaphore _spaceWake;
    private readonly ConsumerPolicy _policy;
    private readonly string _name;
    private readonly int _index;
    private readonly ConsumerBlock _block;
    private readonly int _pid = Environment.ProcessId;
    private long _epoch;
    private long _cursor;       // next sequence this consumer wants
    private long _held = -1;    // sequence of the slot handed out by TryRead, until Release
    private long _skipped;
    private long _received;
    private bool _disposed;

    /// <summary>Frames this consumer never saw: skipped to the newest (latest policy) or lost while detached.</summary>
    public long Skipped => _skipped;

    /// <summary>Frames handed out by <see cref="TryRead"/>.</summary>
    public long Received => _received;

    public ConsumerPolicy Policy => _policy;

    public string Name => _name;

    public string Path => _ring.Path;

    /// <summary>Next sequence this consumer will read (reliable), or one past the last one it read (latest).</summary>
    public long Cursor => _cursor;

    /// <summary>
    /// How full the ring is for this consumer, 0..1: frames published it has not read, over the slot count. A latest
    /// consumer near 1 is falling behind (seed 10.2: the encoder sheds load above 0.9).
    /// </summary>
    public double Fill => Math.Clamp((Volatile.Read(ref _ring.WriteCursor) - _cursor) / (double)_ring.SlotCount, 0, 1);

    /// <summary>Its slot in the header page, which also names its semaphore.</summary>
    public int ConsumerIndex => _index;

    /// <summary>The producer's pid exists and its heartbeat is younger than the ring's StaleAfter.</summary>
    public bool ProducerAlive
    {
        get
        {
            var pid = Volatile.Read(ref _ring.ProducerPid);
            var age = MonotonicClock.NowNs - Volatile.Read(ref _ring.ProducerHeartbeatNs);
            return pid != 0 && age < _ring.StaleAfterNs && ProcessLiveness.Exists(pid);
        }
    }

    /// <summary>The producer has closed the ring (end of stream).</summary>
    public bool Closed => Volatile.Read(ref _ring.Closed) != 0;

    /// <summary>Stamps this consumer's heartbeat (done inside TryRead and Release too).</summary>
    public void Heartbeat() => Volatile.Write(ref _block.HeartbeatNs, MonotonicClock.NowNs);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a frame and hands it out in place (use it
    /// read-only). A latest consumer gets the newest published frame and skips the rest.
    /// </summary>
    public ReadStatus TryRead(TimeSpan timeout, out FrameSlot slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_held >= 0)
        {
            ThrowHeld();
        }
        Heartbeat();
        if (Volatile.Read(ref _block.State) != (int)ConsumerState.Active || Volatile.Read(ref _block.Epoch) != _epoch)
        {
            Rejoin();
        }
        if (TryTake(out slot))
        {
            return ReadStatus.Frame;
        }
        return WaitForFrame(timeout, out slot);
    }

    /// <summary>
    /// Done with the slot from the last <see cref="TryRead"/>: advances the cursor (a reliable
    /// producer may reuse the slot). Returns true when the slot was not overwritten while held, so
    /// what was read from it is one whole frame; false means discard what you read (this can happen
    /// to a latest consumer that the producer lapped, never to an attached reliable one).
    /// </summary>
    public bool Release()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var held = _held;
        if (held < 0)
        {
            ThrowNotHeld();
        }
        // Seqlock read side: every payload load the caller made happens before this re-check.
        Interlocked.MemoryBarrier();
        var intact = Volatile.Read(ref _ring.Slot(held).Sequence) == held;
        _held = -1;
        if (_policy == ConsumerPolicy.Reliable)
        {
            _cursor = held + 1;
            // Full fence: the cursor is visible before we look whether the producer sleeps (Dekker).
            Interlocked.Exchange(ref _block.Cursor, _cursor);
            ref var producerWaiting = ref _ring.ProducerWaiting;
            if (Volatile.Read(ref producerWaiting) != 0 && Interlocked.Exchange(ref producerWaiting, 0) != 0)
            {
                _spaceWake.Post();
            }
        }
        else
        {
            Volatile.Write(ref _block.Cursor, _cursor);
        }
        Heartbeat();
        return intact;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryTake(out FrameSlot slot)
    {
        return _policy == ConsumerPolicy.Reliable ? TryTakeNext(out slot) : TryTakeNewest(out slot);
    }

    private bool TryTakeNext(out FrameSlot slot)
    {
        while (true)
        {
            var w = Volatile.Read(ref _ring.WriteCursor);
            var c = _cursor;
            if (c >= w)
            {
                slot = default;
                return false;
            }
            ref var header = ref _ring.Slot(c);
            if (Volatile.Read(ref header.Sequence) != c)
            {
                // Lapped: only after this consumer was detached (stale) and the producer moved on.
                SkipTo(Math.Max(c + 1, w - _ring.SlotCount + 1));
                continue;
            }
            slot = Hand(ref header, c);
            return true;
        }
    }

    private bool TryTakeNewest(out FrameSlot slot)
    {
        while (true)
        {
            var w = Volatile.Read(ref _ring.WriteCursor);
            if (w <= _cursor)
            {
                slot = default;
                return false;
            }
            var n = w - 1;
            ref var header = ref _ring.Slot(n);
            if (Volatile.Read(ref header.Sequence) != n)
            {
                continue; // the producer already reclaimed it: a newer one is published or coming
            }
            _skipped += n - _cursor;
            _cursor = n + 1;
            slot = Hand(ref header, n);
            return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FrameSlot Hand(ref SlotHeader header, long sequence)
    {
        // The length comes from another process: clamp it, never trust it with our bounds.
        var length = Math.Clamp(header.PayloadLength, 0, _ring.SlotCapacity);
        _held = sequence;
        _received++;
        return new FrameSlot(ref header, _ring.Payload(sequence, length), sequence);
    }

    private void SkipTo(long cursor)
    {
        _skipped += cursor - _cursor;
        _cursor = cursor;
        Volatile.Write(ref _block.Cursor, cursor);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ReadStatus WaitForFrame(TimeSpan timeout, out FrameSlot slot)
    {
        var start = MonotonicClock.NowNs;
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : start + Math.Max(0, (long)timeout.TotalNanoseconds);
        var slice = Math.Max(1_000_000, _ring.StaleAfterNs / 4);
        ref var waiting = ref _block.Waiting;
        while (true)
        {
            var now = MonotonicClock.NowNs;
            if (Volatile.Read(ref _ring.Closed) != 0)
            {
                return TryTake(out slot) ? ReadStatus.Frame : ReadStatus.Closed;
            }
            if (now >= deadline)
            {
                slot = default;
                return ReadStatus.Timeout;
            }
            if (now - start < SpinNs)
            {
                Thread.SpinWait(32);
                if (TryTake(out slot))
                {
                    return ReadStatus.Frame;
                }
                continue;
            }
            Interlocked.Exchange(ref waiting, 1);
            if (TryTake(out slot))
            {
                Volatile.Write(ref waiting, 0);
                return ReadStatus.Frame;
            }
            if (Volatile.Read(ref _ring.Closed) == 0)
            {
                _wake.Wait(Math.Min(deadline - now, slice));
            }
            Volatile.Write(ref waiting, 0);
            Heartbeat();
            if (Volatile.Read(ref _block.State) != (int)ConsumerState.Active || Volatile.Read(ref _block.Epoch) != _epoch)
            {
                Rejoin();
            }
            if (TryTake(out slot))
            {
                return ReadStatus.Frame;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // Leave the block Detached, not Free: it gates nobody now, and the same name resumes from it.
        if (Volatile.Read(ref _block.Epoch) == _epoch && Volatile.Read(ref _block.Pid) == _pid &&
            Interlocked.CompareExchange(ref _block.State, (int)ConsumerState.Detached, (int)ConsumerState.Active) == (int)ConsumerState.Active)
        {
            Interlocked.Increment(ref _block.Epoch);
            Interlocked.Increment(ref _ring.ConsumersGeneration);
            // A producer asleep waiting for us must re-scan now.
            if (Interlocked.Exchange(ref _ring.ProducerWaiting, 0) != 0)
            {
                _spaceWake.Post();
            }
        }
        _wake.Dispose();
        _spaceWake.Dispose();
        _ring.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowHeld() =>
        throw new InvalidOperationException($"ring {_ring.Name}: consumer '{_name}' still holds slot {_held}; Release it before reading the next");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotHeld() =>
        throw new InvalidOperationException($"ring {_ring.Name}: consumer '{_name}' holds no slot; Release follows a TryRead that returned Frame");
}
