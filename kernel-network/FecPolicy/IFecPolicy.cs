namespace Aqs.Kernel.Network.FecPolicy;

/// <summary>Chooses how many Reed-Solomon parity shards protect a block of data shards.</summary>
public interface IFecPolicy
{
    /// <summary>Parity shards m for a block of <paramref name="dataShards"/> (k), with k + m ≤ 255.</summary>
    int ParityFor(int dataShards, bool keyframe, LinkState state);
}
