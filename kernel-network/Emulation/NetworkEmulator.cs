using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network.Emulation;

/// <summary>
/// Decides, for each datagram in send order, when it arrives or why it is dropped. Pure and deterministic:
/// time comes in as arguments (µs on any monotonic clock), randomness from the spec's seed, so the same
/// calls give the same answers inside the UDP kernel and in simulated tests.
/// <para>Path model, in order: bottleneck link with a drop-tail queue whose service follows the Mahimahi trace
/// byte for byte (a packet leaves at the opportunity that carries its last byte; an opportunity unused while
/// the queue is empty is lost, as in mm-link); then loss on the wire (the packet used link capacity and is
/// lost after it, as radio loss is); then fixed delay, bounded jitter, and optional reordering.</para>
/// Single-threaded; calls must come in non-decreasing send time (an earlier time is taken as the latest seen).
/// </summary>
public sealed class NetworkEmulator
{
    private readonly MahimahiTrace? _trace;
    private readonly GilbertElliottLoss _loss;
    private readonly DeterministicRandom _random;
    private readonly long[] _queueDepartures;
    private int _queueHead;
    private int _queueCount;
    private long _cursor;
    private int _cursorBytesUsed;
    private long _lastSendUs = long.MinValue;
    private long _lastOrderedDeliveryUs = long.MinValue;

    public NetworkEmulator(ImpairmentSpec spec, MahimahiTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        _trace = trace;
        _random = new DeterministicRandom(spec.Seed);
        _loss = new GilbertElliottLoss(spec.LossRate, spec.MeanBurstLength, new DeterministicRandom(spec.Seed ^ 0x5DEECE66DUL));
        _queueDepartures = new long[spec.QueuePackets ?? 0];
    }

    /// <summary>Builds the emulator, loading <see cref="ImpairmentSpec.TracePath"/> (relative paths against <paramref name="baseDirectory"/>).</summary>
    public static NetworkEmulator FromSpec(ImpairmentSpec spec, string? baseDirectory = null)
    {
        MahimahiTrace? trace = null;
        if (spec.TracePath is { } path)
        {
            var full = Path.IsPathRooted(path) || baseDirectory is null ? path : Path.Combine(baseDirectory, path);
            trace = MahimahiTrace.Load(full);
        }
        return new NetworkEmulator(spec, trace);
    }

    public ImpairmentSpec Spec { get; }
    public MahimahiTrace? Trace => _trace;

    public long Submitted { get; private set; }
    public long Delivered { get; private set; }
    public long DeliveredBytes { get; private set; }
    public long DroppedQueueFull { get; private set; }
    public long DroppedRandom { get; private set; }
    public long DroppedBurst { get; private set; }
    public long Reordered { get; private set; }

    /// <summary>Decides one datagram of <paramref name="sizeBytes"/> sent at <paramref name="sendTimeUs"/>.</summary>
    public EmulatorVerdict Submit(long sendTimeUs, int sizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        if (sendTimeUs < _lastSendUs)
        {
            sendTimeUs = _lastSendUs;
        }
        _lastSendUs = sendTimeUs;
        Submitted++;

        // Without a trace the link is infinitely fast and the queue never holds anything.
        var departureUs = sendTimeUs;
        if (_trace is not null)
        {
            if (!TryEnqueue(sendTimeUs, sizeBytes, out departureUs))
            {
                DroppedQueueFull++;
                return EmulatorVerdict.Dropped(DropReason.QueueFull);
            }
        }

        if (_loss.NextIsLost())
        {
            if (_loss.IsBursty)
            {
                DroppedBurst++;
                return EmulatorVerdict.Dropped(DropReason.BurstLoss);
            }
            DroppedRandom++;
            return EmulatorVerdict.Dropped(DropReason.RandomLoss);
        }

        var delay = Spec.DelayUs;
        if (Spec.JitterUs > 0)
        {
            delay += (long)Math.Round((_random.NextDouble() * 2 - 1) * Spec.JitterUs);
            delay = Math.Max(0, delay);
        }
        var deliveryUs = departureUs + delay;
        if (Spec.ReorderRate > 0 && _random.Chance(Spec.ReorderRate))
        {
            // Held back outside the ordering constraint, so packets sent after it overtake it.
            Reordered++;
            deliveryUs += Spec.ReorderDelayUs;
        }
        else if (!Spec.JitterReorders)
        {
            deliveryUs = Math.Max(deliveryUs, _lastOrderedDeliveryUs);
            _lastOrderedDeliveryUs = deliveryUs;
        }
        Delivered++;
        DeliveredBytes += sizeBytes;
        return EmulatorVerdict.DeliveredAt(deliveryUs);
    }

    /// <summary>Packets waiting in (or being sent from) the bottleneck queue at <paramref name="nowUs"/>.</summary>
    public int QueuedPackets(long nowUs)
    {
        DrainQueue(nowUs);
        return _queueCount;
    }

    private bool TryEnqueue(long arrivalUs, int sizeBytes, out long departureUs)
    {
        var trace = _trace!;
        // Opportunities before the arrival went unused if the queue had emptied: skip them.
        var arrivalMs = (arrivalUs + 999) / 1000;
        var firstUsable = trace.FirstOpportunityAtOrAfter(arrivalMs);
        var cursor = _cursor;
        var used = _cursorBytesUsed;
        if (cursor < firstUsable)
        {
            cursor = firstUsable;
            used = 0;
        }
        var remaining = sizeBytes;
        long departureMs;
        while (true)
        {
            var available = MahimahiTrace.BytesPerOpportunity - used;
            if (remaining <= available)
            {
                used += remaining;
                departureMs = trace.OpportunityTimeMs(cursor);
                if (used == MahimahiTrace.BytesPerOpportunity)
                {
                    cursor++;
                    used = 0;
                }
                break;
            }
            remaining -= available;
            cursor++;
            used = 0;
        }
        departureUs = Math.Max(arrivalUs, departureMs * 1000);

        if (Spec.QueueDelayUs is { } maxDelay && departureUs - arrivalUs > maxDelay)
        {
            return false;
        }
        if (_queueDepartures.Length > 0)
        {
            DrainQueue(arrivalUs);
            if (_queueCount >= _queueDepartures.Length)
            {
                return false;
            }
            _queueDepartures[(_queueHead + _queueCount) % _queueDepartures.Length] = departureUs;
            _queueCount++;
        }
        _cursor = cursor;
        _cursorBytesUsed = used;
        return true;
    }

    private void DrainQueue(long nowUs)
    {
        while (_queueCount > 0 && _queueDepartures[_queueHead] <= nowUs)
        {
            _queueHead = (_queueHead + 1) % _queueDepartures.Length;
            _queueCount--;
        }
    }
}
