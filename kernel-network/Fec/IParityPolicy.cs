namespace Aqs.Kernel.Network.Fec;

/// <summary>How many parity shards protect a block of k data shards (the adaptive-FEC controller implements this).</summary>
public interface IParityPolicy
{
    /// <summary>Parity shards for a block of <paramref name="dataShards"/>; k + m must stay &lt;= 255.</summary>
    int ParityShards(int dataShards, bool keyframe);
}
