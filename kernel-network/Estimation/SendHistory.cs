namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// Send time and size per transport sequence number, for matching feedback arrivals to their sends.
/// A ring of <see cref="Capacity"/> entries: sequence numbers older than that are forgotten. Single-threaded.
/// </summary>
public sealed class SendHistory
{
    public const int Capacity = 16384;
    private const int Mask = Capacity - 1;

    private readonly long[] _sequence = new long[Capacity];
    private readonly long[] _sendTimeUs = new long[Capacity];
    private readonly int[] _size = new int[Capacity];
    private readonly int[] _cluster = new int[Capacity];

    public SendHistory()
    {
        Array.Fill(_sequence, -1);
    }

    /// <summary>Records a send; <paramref name="probeCluster"/> is the probe cluster it belongs to, or -1.</summary>
    public void OnSent(long sequence, long sendTimeUs, int sizeBytes, int probeCluster = -1)
    {
        var slot = (int)(sequence & Mask);
        _sequence[slot] = sequence;
        _sendTimeUs[slot] = sendTimeUs;
        _size[slot] = sizeBytes;
        _cluster[slot] = probeCluster;
    }

    public bool TryGet(long sequence, out long sendTimeUs, out int sizeBytes) => TryGet(sequence, out sendTimeUs, out sizeBytes, out _);

    public bool TryGet(long sequence, out long sendTimeUs, out int sizeBytes, out int probeCluster)
    {
        var slot = (int)(sequence & Mask);
        if (sequence >= 0 && _sequence[slot] == sequence)
        {
            sendTimeUs = _sendTimeUs[slot];
            sizeBytes = _size[slot];
            probeCluster = _cluster[slot];
            return true;
        }
        sendTimeUs = 0;
        sizeBytes = 0;
        probeCluster = -1;
        return false;
    }
}
