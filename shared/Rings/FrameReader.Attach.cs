using Aqs.Shared.Timing;

namespace Aqs.Shared.Rings;

/// <summary>Attaching to a ring: finding the file, claiming a consumer block, re-joining after a detach.</summary>
public sealed partial class FrameReader
{
    private FrameReader(MappedRing ring, string session, string ringName, ConsumerPolicy policy, string name, Claim claim)
    {
        _ring = ring;
        _policy = policy;
        _name = name;
        _index = claim.Index;
        _block = ring.Consumer(claim.Index);
        _epoch = claim.Epoch;
        _cursor = claim.Cursor;
        _skipped = claim.Skipped;
        _wake = PosixSemaphore.OpenOrCreate(RingNames.ConsumerSemaphore(session, ringName, claim.Index));
        try
        {
            _spaceWake = PosixSemaphore.OpenOrCreate(RingNames.ProducerSemaphore(session, ringName));
        }
        catch
        {
            _wake.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches consumer <paramref name="consumerName"/> to ring <c>aqs.SESSION.RING</c>, waiting up
    /// to <paramref name="waitForRing"/> for its producer to create it. A consumer of the same name
    /// whose process is gone is taken over, cursor and all (a restart resumes).
    /// </summary>
    public static FrameReader Attach(string session, string ring, ConsumerPolicy policy, string consumerName, TimeSpan waitForRing = default)
    {
        var path = RingNames.PathFor(session, ring);
        ValidateConsumerName(consumerName);
        if (policy is not (ConsumerPolicy.Reliable or ConsumerPolicy.Latest))
        {
            throw new RingException($"ring {RingNames.FileName(session, ring)}: unknown consumer policy {(int)policy}");
        }
        var mapped = OpenWhenReady(path, session, ring, waitForRing);
        try
        {
            var claim = ClaimBlock(mapped, consumerName, policy, Environment.ProcessId, resumeFrom: null);
            var reader = new FrameReader(mapped, session, ring, policy, consumerName, claim);
            reader.Heartbeat();
            return reader;
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    private static MappedRing OpenWhenReady(string path, string session, string ring, TimeSpan waitForRing)
    {
        var deadline = MonotonicClock.NowNs + Math.Max(0, (long)waitForRing.TotalNanoseconds);
        while (true)
        {
            try
            {
                return MappedRing.Open(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                if (MonotonicClock.NowNs >= deadline)
                {
                    throw new RingException($"ring {RingNames.FileName(session, ring)} does not exist (is its producer running for session {session}?)");
                }
            }
            catch (RingNotReadyException ex)
            {
                if (MonotonicClock.NowNs >= deadline)
                {
                    throw new RingException(ex.Message);
                }
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new RingException($"ring file {path} cannot be opened: {ex.Message}");
            }
            Thread.Sleep(5);
        }
    }

    private static void ValidateConsumerName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > RingDescriptor.MaxConsumerNameLength ||
            !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new RingException($"consumer name must be 1..{RingDescriptor.MaxConsumerNameLength} of [A-Za-z0-9_-]: got {name?.Length ?? 0} characters");
        }
    }

    private readonly record struct Claim(int Index, long Epoch, long Cursor, long Skipped);

    /// <summary>
    /// Finds this consumer's block: the same name first (take over a dead owner's Active block
    /// keeping its cursor, or re-activate a Detached one), else a Free block, else a Detached block
    /// of another name. Blocks change hands by CAS, so two attaching processes never share one.
    /// </summary>
    private static Claim ClaimBlock(MappedRing ring, string name, ConsumerPolicy policy, int pid, long? resumeFrom)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            for (var i = 0; i < ring.MaxConsumers; i++)
            {
                var c = ring.Consumer(i);
                var state = c.LoadState();
                if (state is not (ConsumerState.Active or ConsumerState.Detached) || !c.HasName(name))
                {
                    continue;
                }
                if (state == ConsumerState.Active)
                {
                    var owner = Volatile.Read(ref c.Pid);
                    if (owner == pid || ProcessLiveness.IsAlive(owner))
                    {
                        throw new RingException($"ring {ring.Name}: consumer '{name}' is already attached by live pid {owner}");
                    }
                    // Its owner died while attached: the block kept gating the producer, so its cursor is exact.
                    if (Interlocked.CompareExchange(ref c.Pid, pid, owner) != owner)
                    {
                        goto retry;
                    }
                    Volatile.Write(ref c.HeartbeatNs, MonotonicClock.NowNs);
                    Volatile.Write(ref c.Waiting, 0);
                    if (Volatile.Read(ref c.Policy) != (int)policy)
                    {
                        Volatile.Write(ref c.Policy, (int)policy);
                        Interlocked.Increment(ref ring.ConsumersGeneration);
                    }
                    var epoch = Interlocked.Increment(ref c.Epoch);
                    // A dead latest consumer's cursor may be behind the ring; nothing gates on it.
                    var cursor = Volatile.Read(ref c.Cursor);
                    return new Claim(i, epoch, cursor, 0);
                }
                if (Interlocked.CompareExchange(ref c.State, (int)ConsumerState.Claiming, (int)ConsumerState.Detached) == (int)ConsumerState.Detached)
                {
                    return Activate(ring, c, i, policy, pid, resumeFrom ?? Volatile.Read(ref c.Cursor));
                }
                goto retry;
            }
            foreach (var wanted in (ReadOnlySpan<ConsumerState>)[ConsumerState.Free, ConsumerState.Detached])
            {
                for (var i = 0; i < ring.MaxConsumers; i++)
                {
                    var c = ring.Consumer(i);
                    if (Interlocked.CompareExchange(ref c.State, (int)ConsumerState.Claiming, (int)wanted) == (int)wanted)
                    {
                        c.SetName(name);
                        return Activate(ring, c, i, policy, pid, resumeFrom);
                    }
                }
            }
            var names = string.Join(", ", Enumerable.Range(0, ring.MaxConsumers).Select(i => ring.Consumer(i)).Select(c => $"{c.Name}(pid {Volatile.Read(ref c.Pid)})"));
            throw new RingException($"ring {ring.Name}: all {ring.MaxConsumers} consumer slots are taken ({names})");
        retry:
            Thread.Yield();
        }
        throw new RingException($"ring {ring.Name}: could not claim a consumer slot for '{name}' (contention)");
    }

    /// <summary>
    /// Makes a claimed block Active. The cursor starts at <paramref name="resumeFrom"/> (or the write
    /// cursor for a new consumer), but never below the oldest slot the producer cannot be writing:
    /// the producer only learns of this consumer at its next claim (ConsumersGeneration), so the
    /// cursor is re-checked after the block became visible.
    /// </summary>
    private static Claim Activate(MappedRing ring, ConsumerBlock c, int index, ConsumerPolicy policy, int pid, long? resumeFrom)
    {
        var w0 = Volatile.Read(ref ring.WriteCursor);
        var start = resumeFrom ?? w0;
        var cursor = Math.Clamp(start, Math.Max(0, w0 - ring.SlotCount + 1), w0);
        Volatile.Write(ref c.Policy, (int)policy);
        Volatile.Write(ref c.Pid, pid);
        Volatile.Write(ref c.HeartbeatNs, MonotonicClock.NowNs);
        Volatile.Write(ref c.Waiting, 0);
        Volatile.Write(ref c.Cursor, cursor);
        var epoch = Interlocked.Increment(ref c.Epoch);
        Interlocked.Exchange(ref c.State, (int)ConsumerState.Active);
        Interlocked.Increment(ref ring.ConsumersGeneration);
        var w1 = Volatile.Read(ref ring.WriteCursor);
        if (cursor < w1 - ring.SlotCount + 1)
        {
            cursor = w1 - ring.SlotCount + 1;
            Volatile.Write(ref c.Cursor, cursor);
        }
        var skipped = resumeFrom is { } r && cursor > r ? cursor - r : 0;
        return new Claim(index, epoch, cursor, skipped);
    }

    /// <summary>This consumer was detached (stale) or its block changed hands: claim a block again under the same name.</summary>
    private void Rejoin()
    {
        var claim = ClaimBlock(_ring, _name, _policy, _pid, _cursor);
        if (claim.Index != _index)
        {
            // Another slot means another semaphore; rare enough to make the caller re-attach.
            var c = _ring.Consumer(claim.Index);
            Interlocked.CompareExchange(ref c.State, (int)ConsumerState.Detached, (int)ConsumerState.Active);
            Interlocked.Increment(ref _ring.ConsumersGeneration);
            throw new RingException($"ring {_ring.Name}: consumer '{_name}' lost its slot {_index} while detached; attach again");
        }
        _epoch = claim.Epoch;
        _skipped += claim.Skipped;
        _cursor = claim.Cursor;
    }
}
