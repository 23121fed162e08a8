namespace Aqs.Kernel.Network.Emulation;

/// <summary>Why the emulator did not deliver a datagram.</summary>
public enum DropReason
{
    /// <summary>Delivered; not a drop.</summary>
    None = 0,

    /// <summary>The bottleneck queue was full (drop-tail), in packets or in queueing delay.</summary>
    QueueFull,

    /// <summary>Independent random loss (Bernoulli).</summary>
    RandomLoss,

    /// <summary>Lost while the Gilbert-Elliott channel was in its bad state.</summary>
    BurstLoss,
}

/// <summary>The emulator's answer for one datagram: delivered at <see cref="DeliveryTimeUs"/>, or dropped.</summary>
public readonly record struct EmulatorVerdict(DropReason Drop, long DeliveryTimeUs)
{
    public bool Delivered => Drop == DropReason.None;

    public static EmulatorVerdict DeliveredAt(long us) => new(DropReason.None, us);

    public static EmulatorVerdict Dropped(DropReason reason) => new(reason, -1);
}
