using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// The packetizer's view of the FEC policy: parity for a block under the link state the bandwidth
/// estimator measured last. The state is swapped in whole by the feedback thread.
/// </summary>
public sealed class AdaptiveParity : IParityPolicy
{
    private readonly IFecPolicy _policy;
    private LinkStateBox _state = new(LinkState.Perfect);

    public AdaptiveParity(IFecPolicy policy)
    {
        _policy = policy;
    }

    public LinkState State
    {
        get => Volatile.Read(ref _state).Value;
        set => Volatile.Write(ref _state, new LinkStateBox(value));
    }

    public int ParityShards(int dataShards, bool keyframe) => _policy.ParityFor(dataShards, keyframe, State);

    // A reference wrapper so a reader never sees half of an update from another thread.
    private sealed record LinkStateBox(LinkState Value);
}
