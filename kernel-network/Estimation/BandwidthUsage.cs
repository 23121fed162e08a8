namespace Aqs.Kernel.Network.Estimation;

/// <summary>What the delay-gradient detector concludes about the bottleneck queue.</summary>
public enum BandwidthUsage
{
    /// <summary>Queueing delay is steady: the link keeps up.</summary>
    Normal = 0,

    /// <summary>Queueing delay is falling: the queue drains (we send below capacity).</summary>
    Underusing,

    /// <summary>Queueing delay is rising: we send above capacity.</summary>
    Overusing,
}
