using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Aqs.Shared.Timing;

namespace Aqs.Shared.Rings;

/// <summary>
/// The single producer of a ring: claims a slot, fills it in place, publishes it. One writer per
/// ring (enforced through the producer pid in the header); not thread-safe, use it from one thread.
/// </summary>
/// <remarks>
/// Publication protocol (seqlock per slot, cursor per ring); W is the sequence being written:
/// <code>
///   claim:   wait until W &lt; min(reliable consumer cursors) + SlotCount      (gating)
///            Interlocked.Exchange(slot.Sequence, -(W+1))    marks "being written", full fence
///            clear header, fill header + payload in place
///   publish: Volatile.Write(slot.Sequence, W)                release: payload before sequence
///            Interlocked.Exchange(WriteCursor, W+1)          release + full fence before reading
///            for each consumer: Waiting==1 ? Exchange(Waiting,0) and sem_post
/// </code>
/// Allowed interleavings for a reader of sequence N (it reads s1 = slot.Sequence with acquire
/// before, and s2 after its payload reads behind a full fence, in <see cref="FrameReader.Release"/>):
/// <list type="bullet">
/// <item>no claim of N+k·SlotCount meanwhile: s1 == s2 == N, the payload is N's, intact.</item>
/// <item>claim of N+SlotCount before the reader's first read: s1 is negative or a newer sequence;
/// the reader does not take the slot (a latest reader retries with the newest cursor).</item>
/// <item>claim during the read: the payload may be torn, but s2 != N, so Release returns false.
/// A reliable reader is never overwritten this way while it is attached (gating); a latest one
/// (or a reliable one detached as stale) can be.</item>
/// </list>
/// Wake-ups are Dekker-style: the waiter sets its Waiting word with a full fence and re-checks the
/// cursor before it sleeps; the waker stores the cursor with a full fence and then reads Waiting.
/// At least one of them sees the other, so no wake-up is lost, and a post happens only for a
/// waiter that flagged itself (at most one extra count per wait, never an unbounded count).
/// </remarks>
public sealed partial class FrameWriter : IDisposable
{
    private readonly MappedRing _ring;
    private readonly PosixSemaphore[] _consumerWake;
    private readonly PosixSemaphore _spaceWake;
    private readonly long _staleAfterNs;
    private readonly int _pid = Environment.ProcessId;

    private long _next;                 // next sequence to claim (only this process writes WriteCursor)
    private long _claimed = -1;         // sequence of the claimed, unpublished slot
    private long _gatingLimit;          // sequences below this may be claimed (cached; the "headCache")
    private int _generationSeen;
    private bool _closed;
    private bool _disposed;

    private FrameWriter(MappedRing ring, string session, string ringName, long staleAfterNs)
    {
        _ring = ring;
        _staleAfterNs = staleAfterNs;
        _consumerWake = new PosixSemaphore[ring.MaxConsumers];
        try
        {
            for (var i = 0; i < _consumerWake.Length; i++)
            {
                _consumerWake[i] = PosixSemaphore.OpenOrCreate(RingNames.ConsumerSemaphore(session, ringName, i));
            }
            _spaceWake = PosixSemaphore.OpenOrCreate(RingNames.ProducerSemaphore(session, ringName));
        }
        catch
        {
            foreach (var s in _consumerWake)
            {
                s?.Dispose();
            }
            throw;
        }
        _next = Volatile.Read(ref ring.WriteCursor);
        _generationSeen = Volatile.Read(ref ring.ConsumersGeneration) - 1; // forces a first scan
    }

    /// <summary>
    /// Creates the ring <c>aqs.SESSION.RING</c>, or re-attaches to one left by a dead producer with
    /// the same geometry and resumes its cursors. Throws <see cref="RingException"/> when a live
    /// producer owns it or its geometry differs from <paramref name="options"/>.
    /// </summary>
    public static FrameWriter Create(string session, string ring, RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = RingNames.PathFor(session, ring);
        var fileName = RingNames.FileName(session, ring);
        options.Validate(fileName);
        var staleNs = (long)options.StaleAfter.TotalNanoseconds;
        var mapped = MappedRing.TryCreate(path, options) ?? Reattach(path, options);
        try
        {
            var writer = new FrameWriter(mapped, session, ring, staleNs);
            writer.Heartbeat();
            return writer;
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    private static MappedRing Reattach(string path, RingOptions options)
    {
        MappedRing mapped;
        try
        {
            mapped = MappedRing.Open(path);
        }
        catch (RingNotReadyException ex)
        {
            throw new RingException(ex.Message + "; another producer may be creating it right now, or remove the file");
        }
        catch (FileNotFoundException)
        {
            // Removed between our O_EXCL create and the open: someone else is managing it.
            throw new RingException($"ring file {path} vanished while attaching; is another producer starting and stopping it?");
        }
        try
        {
            var slotSize = RingDescriptor.SlotSizeFor(options.SlotCapacity);
            if (mapped.SlotCount != options.SlotCount || mapped.SlotSize != slotSize || mapped.SlotCapacity != options.SlotCapacity || mapped.MaxConsumers != options.MaxConsumers)
            {
                throw new RingException($"ring file {path} exists with another geometry (slots={mapped.SlotCount} capacity={mapped.SlotCapacity} consumers={mapped.MaxConsumers}, asked slots={options.SlotCount} capacity={options.SlotCapacity} consumers={options.MaxConsumers}); stop its users and remove it");
            }
            var me = Environment.ProcessId;
            var staleNs = (long)options.StaleAfter.TotalNanoseconds;
            while (true)
            {
                var owner = Volatile.Read(ref mapped.ProducerPid);
                var age = MonotonicClock.NowNs - Volatile.Read(ref mapped.ProducerHeartbeatNs);
                if (owner != 0 && ProcessLiveness.IsAlive(owner) && age < staleNs)
                {
                    throw new RingException($"ring file {path} is owned by a live producer (pid {owner}, heartbeat {age / 1_000_000} ms ago)");
                }
                // Claimed atomically: of two restarting producers exactly one wins.
                if (Interlocked.CompareExchange(ref mapped.ProducerPid, me, owner) == owner)
                {
                    break;
                }
            }
            Volatile.Write(ref mapped.Int64(RingDescriptor.StaleAfterNsOffset), staleNs);
            Volatile.Write(ref mapped.Closed, 0);
            return mapped;
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    /// <summary>Frames published on this ring over its whole life (the write cursor): a restarted producer continues from here.</summary>
    public long Published => _next;

    /// <summary>Largest payload a slot takes, in bytes.</summary>
    public int SlotCapacity => _ring.SlotCapacity;

    public int SlotCount => _ring.SlotCount;

    /// <summary>The ring file, <c>/dev/shm/aqs.SESSION.RING</c>.</summary>
    public string Path => _ring.Path;

    /// <summary>Stamps the producer heartbeat (done inside TryClaim and Publish too); call it when idle for long.</summary>
    public void Heartbeat()
    {
        Volatile.Write(ref _ring.ProducerHeartbeatNs, MonotonicClock.NowNs);
        if (Volatile.Read(ref _ring.ProducerPid) != _pid)
        {
            Volatile.Write(ref _ring.ProducerPid, _pid);
        }
    }

    /// <summary>
    /// Claims the next slot for a payload of <paramref name="payloadLength"/> bytes. Returns false
    /// when a reliable consumer has not freed a slot within <paramref name="timeout"/> (never waits
    /// longer); stale consumers are detached meanwhile, so a dead one blocks at most StaleAfter.
    /// </summary>
    public bool TryClaim(int payloadLength, TimeSpan timeout, out FrameSlot slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)payloadLength > (uint)_ring.SlotCapacity)
        {
            ThrowPayloadTooLarge(payloadLength);
        }
        if (_claimed >= 0 || _closed)
        {
            ThrowAlreadyClaimed();
        }
        var w = _next;
        Volatile.Write(ref _ring.ProducerHeartbeatNs, MonotonicClock.NowNs);
        if (w >= _gatingLimit || Volatile.Read(ref _ring.ConsumersGeneration) != _generationSeen)
        {
            if (!WaitForSpace(w, timeout))
            {
                slot = default;
                return false;
            }
        }
        ref var header = ref _ring.Slot(w);
        // Full fence: the "being written" mark is visible before any payload byte changes.
        Interlocked.Exchange(ref header.Sequence, -(w + 1));
        var rest = MemoryMarshal.AsBytes(new Span<SlotHeader>(ref header))[sizeof(long)..];
        rest.Clear();
        header.PayloadLength = payloadLength;
        _claimed = w;
        slot = new FrameSlot(ref header, _ring.Payload(w, payloadLength), w);
        return true;
    }

    /// <summary>
    /// Publishes the claimed slot (release store of its sequence and of the write cursor) and
    /// wakes consumers that sleep. The header's PayloadLength may be lowered before publishing.
    /// </summary>
    public void Publish(ref FrameSlot slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var w = _claimed;
        if (w < 0 || slot.Sequence != w)
        {
            ThrowNotClaimed(slot.Sequence);
        }
        ref var header = ref _ring.Slot(w);
        if ((uint)header.PayloadLength > (uint)_ring.SlotCapacity)
        {
            ThrowPayloadTooLarge(header.PayloadLength);
        }
        Volatile.Write(ref header.Sequence, w);
        Interlocked.Exchange(ref _ring.WriteCursor, w + 1);
        _next = w + 1;
        _claimed = -1;
        WakeConsumers();
        Volatile.Write(ref _ring.ProducerHeartbeatNs, MonotonicClock.NowNs);
    }

    /// <summary>Marks the end of the stream (the closed flag) and wakes every consumer. Publishing after it is an error.</summary>
    public void Close()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _closed = true;
        Interlocked.Exchange(ref _ring.Closed, 1);
        for (var i = 0; i < _consumerWake.Length; i++)
        {
            // Unconditional: a consumer between its closed check and its wait must not sleep through the end.
            if (Interlocked.Exchange(ref _ring.Consumer(i).Waiting, 0) != 0)
            {
                _consumerWake[i].Post();
            }
        }
    }

    /// <summary>
    /// After <see cref="Close"/>: removes the ring file and its semaphores (clean shutdown).
    /// Without Close: leaves them and gives up ownership, so a restarted producer resumes at once.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_closed)
        {
            TryDelete(_ring.Path);
            for (var i = 0; i < _consumerWake.Length; i++)
            {
                PosixSemaphore.Unlink(_consumerWake[i].Name);
            }
            PosixSemaphore.Unlink(_spaceWake.Name);
        }
        else
        {
            Interlocked.CompareExchange(ref _ring.ProducerPid, 0, _pid);
        }
        foreach (var s in _consumerWake)
        {
            s.Dispose();
        }
        _spaceWake.Dispose();
        UnlockPages(); // a locked view cannot be flushed (msync: EBUSY), and the view's Dispose flushes
        _ring.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WakeConsumers()
    {
        for (var i = 0; i < _consumerWake.Length; i++)
        {
            ref var waiting = ref _ring.Consumer(i).Waiting;
            if (Volatile.Read(ref waiting) != 0 && Interlocked.Exchange(ref waiting, 0) != 0)
            {
                _consumerWake[i].Post();
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowPayloadTooLarge(int length) =>
        throw new ArgumentOutOfRangeException("payloadLength", $"ring {_ring.Name}: payload of {length} bytes does not fit its slots (capacity {_ring.SlotCapacity} bytes)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowAlreadyClaimed() =>
        throw new InvalidOperationException(_closed
            ? $"ring {_ring.Name} is closed; no more frames can be claimed"
            : $"ring {_ring.Name}: slot {_claimed} is claimed and not yet published; publish it before claiming another");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotClaimed(long sequence) =>
        throw new InvalidOperationException($"ring {_ring.Name}: slot {sequence} is not the claimed one ({_claimed}); claim before publishing, once per slot");
}
