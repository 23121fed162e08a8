namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// Systematic Reed-Solomon erasure code over GF(2^8) with the Cauchy generator of ISA-L's
/// <c>gf_gen_cauchy1_matrix</c>: any k data + m parity shards (k+m &lt;= 255) survive the loss of any m.
/// Every implementation writes identical bytes. Tables are cached per (k, m) and per loss pattern, so after
/// warm-up neither call allocates. Not thread-safe: one coder per thread.
/// </summary>
public interface IErasureCoder : IDisposable
{
    /// <summary>Which engine runs ("isa-l", "managed-avx512", ...), for logs and reports.</summary>
    string Engine { get; }

    /// <summary>Computes the m parity shards of <paramref name="shards"/> from its k data shards.</summary>
    void Encode(ShardSet shards);

    /// <summary>
    /// Rebuilds the data shards missing from <paramref name="present"/> (bit i = shard i arrived) in place, from any
    /// k present shards. Parity shards that are missing stay as they are. Returns false, touching nothing, when
    /// fewer than k of the k+m shards are present.
    /// </summary>
    bool Reconstruct(ShardSet shards, in ShardMask present);
}
