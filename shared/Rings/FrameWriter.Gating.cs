using System.Runtime.CompilerServices;
using Aqs.Shared.Timing;

namespace Aqs.Shared.Rings;

/// <summary>The slow path of a claim: the ring is full for a reliable consumer (or the consumer set changed).</summary>
public sealed partial class FrameWriter
{
    /// <summary>How long the producer spins before it sleeps on its semaphore (a consumer usually frees a slot within microseconds).</summary>
    private const long SpinNs = 20_000;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool WaitForSpace(long w, TimeSpan timeout)
    {
        var start = MonotonicClock.NowNs;
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : start + Math.Max(0, (long)timeout.TotalNanoseconds);
        // Sleep in slices so stale consumers are looked at a few times per StaleAfter.
        var slice = Math.Max(1_000_000, _staleAfterNs / 4);
        var lastLivenessCheck = start;
        while (true)
        {
            if (RefreshGatingLimit() > w)
            {
                return true;
            }
            var now = MonotonicClock.NowNs;
            if (now - lastLivenessCheck >= slice || now - start < 1000)
            {
                lastLivenessCheck = now;
                if (DetachDeadOrStale(w, now))
                {
                    continue;
                }
            }
            if (now >= deadline)
            {
                return false;
            }
            if (now - start < SpinNs)
            {
                Thread.SpinWait(64);
                continue;
            }
            Interlocked.Exchange(ref _ring.ProducerWaiting, 1);
            if (RefreshGatingLimit() > w)
            {
                Volatile.Write(ref _ring.ProducerWaiting, 0);
                return true;
            }
            _spaceWake.Wait(Math.Min(deadline - now, slice));
            Volatile.Write(ref _ring.ProducerWaiting, 0);
            Heartbeat();
        }
    }

    /// <summary>Re-reads the reliable consumers' cursors: the producer may claim sequences below min(cursor) + SlotCount.</summary>
    private long RefreshGatingLimit()
    {
        _generationSeen = Volatile.Read(ref _ring.ConsumersGeneration);
        var limit = long.MaxValue;
        for (var i = 0; i < _ring.MaxConsumers; i++)
        {
            var c = _ring.Consumer(i);
            if (c.LoadState() == ConsumerState.Active && (ConsumerPolicy)Volatile.Read(ref c.Policy) == ConsumerPolicy.Reliable)
            {
                limit = Math.Min(limit, Volatile.Read(ref c.Cursor) + _ring.SlotCount);
            }
        }
        _gatingLimit = limit;
        return limit;
    }

    /// <summary>
    /// Detaches reliable consumers that hold sequence <paramref name="w"/> back and are dead (pid
    /// gone) or stale (heartbeat older than StaleAfter). Returns true if any was detached.
    /// </summary>
    private bool DetachDeadOrStale(long w, long now)
    {
        var detached = false;
        for (var i = 0; i < _ring.MaxConsumers; i++)
        {
            var c = _ring.Consumer(i);
            if (c.LoadState() != ConsumerState.Active || (ConsumerPolicy)Volatile.Read(ref c.Policy) != ConsumerPolicy.Reliable)
            {
                continue;
            }
            if (Volatile.Read(ref c.Cursor) + _ring.SlotCount > w)
            {
                continue;
            }
            var pid = Volatile.Read(ref c.Pid);
            var age = now - Volatile.Read(ref c.HeartbeatNs);
            if (ProcessLiveness.IsAlive(pid) && age < _staleAfterNs)
            {
                continue;
            }
            if (Interlocked.CompareExchange(ref c.State, (int)ConsumerState.Detached, (int)ConsumerState.Active) == (int)ConsumerState.Active)
            {
                Interlocked.Increment(ref c.Epoch);
                Interlocked.Increment(ref _ring.ConsumersGeneration);
                detached = true;
            }
        }
        return detached;
    }
}
