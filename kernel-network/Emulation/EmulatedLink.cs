namespace Aqs.Kernel.Network.Emulation;

/// <summary>
/// A <see cref="NetworkEmulator"/> that also holds the datagrams in flight, handing each back once the
/// caller's clock reaches its delivery time, in delivery order (ties in send order). The kernel puts one on
/// its send path: <c>Send</c> instead of the socket write, and a loop that writes whatever
/// <c>TryReceive</c> returns. Single-threaded.
/// </summary>
public sealed class EmulatedLink<T>
{
    private readonly PriorityQueue<T, (long DeliveryUs, long Order)> _inFlight = new();
    private long _order;

    public EmulatedLink(NetworkEmulator emulator)
    {
        Emulator = emulator;
    }

    public NetworkEmulator Emulator { get; }

    public int InFlight => _inFlight.Count;

    /// <summary>Delivery time of the next datagram, or null when none is in flight.</summary>
    public long? NextDeliveryUs => _inFlight.TryPeek(out _, out var p) ? p.DeliveryUs : null;

    /// <summary>Submits <paramref name="item"/>; returns the verdict (a dropped item is not kept).</summary>
    public EmulatorVerdict Send(T item, int sizeBytes, long nowUs)
    {
        var verdict = Emulator.Submit(nowUs, sizeBytes);
        if (verdict.Delivered)
        {
            _inFlight.Enqueue(item, (verdict.DeliveryTimeUs, _order++));
        }
        return verdict;
    }

    /// <summary>Takes the next datagram due at or before <paramref name="nowUs"/>.</summary>
    public bool TryReceive(long nowUs, out T item, out long deliveryUs)
    {
        if (_inFlight.TryPeek(out item!, out var p) && p.DeliveryUs <= nowUs)
        {
            _inFlight.Dequeue();
            deliveryUs = p.DeliveryUs;
            return true;
        }
        item = default!;
        deliveryUs = 0;
        return false;
    }
}
