namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// How a frame is split into FEC blocks: ceil(L/1200) shards spread as evenly as possible over the fewest blocks
/// of at most maxK data shards; block b starts at its first shard x 1200 and every block but the last spans whole
/// 1200-byte shards (the last block's shard size shrinks to ceil(length/k) so small frames carry little padding).
/// </summary>
internal readonly struct BlockLayout
{
    private readonly int _frameLength;
    private readonly int _shards;
    private readonly int _base;
    private readonly int _extra;

    public BlockLayout(int frameLength, int maxDataShards)
    {
        _frameLength = frameLength;
        _shards = (frameLength + WireFormat.MaxPayload - 1) / WireFormat.MaxPayload;
        BlockCount = (_shards + maxDataShards - 1) / maxDataShards;
        _base = _shards / BlockCount;
        _extra = _shards % BlockCount;
    }

    public int BlockCount { get; }

    public int DataShards(int block) => _base + (block < _extra ? 1 : 0);

    public int Offset(int block) => (block * _base + Math.Min(block, _extra)) * WireFormat.MaxPayload;

    public int Length(int block) =>
        block == BlockCount - 1 ? _frameLength - Offset(block) : DataShards(block) * WireFormat.MaxPayload;
}
