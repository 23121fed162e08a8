namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// Identifies a set of coding tables: encode tables for (k, m) have an empty <see cref="Sources"/>; decode tables
/// are fixed by which k shards serve as sources (the missing data shards follow from it).
/// </summary>
internal readonly record struct CodingKey(int DataShards, int ParityShards, ShardMask Sources);
