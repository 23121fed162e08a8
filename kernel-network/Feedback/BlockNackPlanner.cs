using Aqs.Kernel.Network.Wire;

namespace Aqs.Kernel.Network.Feedback;

/// <summary>
/// Decides which lost shards are worth a NACK: only those an FEC block cannot do without. Per block it keeps which
/// shards arrived and where the block sits in the transport sequence (a block's shards are sent back to back, so
/// shard i of a block went out as sequence anchor + i). A block with k data shards needs any k of its k + m; while
/// the arrived shards plus those not yet due (anchor + i past the highest sequence seen) can still make k, nothing
/// is NACKed; otherwise exactly the missing number of data shards is (the sender only resends data shards), each
/// once. A completed block (the frame reconstructed or about to be) is never NACKed. Gaps in the transport
/// sequence that fall inside a known block are left to this planner; other gaps (a whole block lost, a resend
/// or probe lost) are NACKed as before. Fixed slots, no allocation per packet. Single-threaded.
/// </summary>
public sealed class BlockNackPlanner
{
    private const int Slots = 256;
    private const int Probe = 8;
    private readonly Block[] _blocks = new Block[Slots];
    private long _clock;

    private struct Block
    {
        public bool Used;
        public uint FrameId;
        public int BlockIndex;
        public int DataShards;
        public int TotalShards;
        public long Anchor;
        public int Arrived;
        public long Age;
        public ulong A0, A1, A2, A3;
        public ulong N0, N1, N2, N3;

        public readonly bool Done => Arrived >= DataShards;
    }

    /// <summary>Sequence gaps taken out of plain gap-NACKing because they fall inside a known block.</summary>
    public long GapsInBlocks { get; private set; }

    /// <summary>Records an arrived shard (media or parity, original or resent).</summary>
    public void OnShard(in PacketHeader header)
    {
        if (!header.IsShard)
        {
            return;
        }
        ref var b = ref Find(header.FrameId, header.BlockIndex, create: true);
        if (!b.Used)
        {
            b = default;
            b.Used = true;
            b.FrameId = header.FrameId;
            b.BlockIndex = header.BlockIndex;
            b.DataShards = header.DataShards;
            b.TotalShards = header.DataShards + header.ParityShards;
            b.Anchor = long.MaxValue;
        }
        b.Age = ++_clock;
        if ((header.Flags & PacketFlags.Retransmission) == 0)
        {
            // The smallest sequence − index over original sends: resends or probes sent in between only push later shards' (seq − index) up.
            b.Anchor = Math.Min(b.Anchor, (long)header.Sequence - header.ShardIndex);
        }
        if (!Test(b.A0, b.A1, b.A2, b.A3, header.ShardIndex))
        {
            Set(ref b.A0, ref b.A1, ref b.A2, ref b.A3, header.ShardIndex);
            b.Arrived++;
        }
    }

    /// <summary>True when <paramref name="sequence"/> lies in a known block's span: the planner decides about it.</summary>
    public bool Covers(long sequence)
    {
        for (var i = 0; i < Slots; i++)
        {
            ref var b = ref _blocks[i];
            if (b.Used && b.Anchor != long.MaxValue && sequence >= b.Anchor && sequence < b.Anchor + b.TotalShards)
            {
                GapsInBlocks++;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Appends to <paramref name="nacks"/> (from index <paramref name="count"/>) the sequences of the data shards that
    /// blocks cannot recover without, given that sequences up to <paramref name="highestSequence"/> have had their
    /// chance to arrive. Returns the new count.
    /// </summary>
    public int AddNacks(long highestSequence, Span<long> nacks, int count)
    {
        for (var s = 0; s < Slots && count < nacks.Length; s++)
        {
            ref var b = ref _blocks[s];
            if (!b.Used || b.Done || b.Anchor == long.MaxValue)
            {
                continue;
            }
            var stillDue = 0;
            for (var i = 0; i < b.TotalShards; i++)
            {
                if (b.Anchor + i > highestSequence && !Test(b.A0, b.A1, b.A2, b.A3, i))
                {
                    stillDue++;
                }
            }
            var need = b.DataShards - b.Arrived - stillDue;
            for (var i = 0; i < b.DataShards && need > 0 && count < nacks.Length; i++)
            {
                if (Test(b.A0, b.A1, b.A2, b.A3, i) || b.Anchor + i > highestSequence)
                {
                    continue;
                }
                need--;
                if (Test(b.N0, b.N1, b.N2, b.N3, i))
                {
                    continue; // asked once already; its resend may still be on its way
                }
                Set(ref b.N0, ref b.N1, ref b.N2, ref b.N3, i);
                nacks[count++] = b.Anchor + i;
            }
        }
        return count;
    }

    private ref Block Find(uint frameId, int blockIndex, bool create)
    {
        var home = (int)((frameId * 31u + (uint)blockIndex) % Slots);
        var oldest = home;
        for (var p = 0; p < Probe; p++)
        {
            var i = (home + p) % Slots;
            ref var b = ref _blocks[i];
            if (b.Used && b.FrameId == frameId && b.BlockIndex == blockIndex)
            {
                return ref b;
            }
            if (!b.Used)
            {
                return ref b;
            }
            if (b.Age < _blocks[oldest].Age)
            {
                oldest = i;
            }
        }
        // All probed slots hold other blocks: the least recently touched one is old news (its frame is past its deadline).
        _blocks[oldest].Used = false;
        return ref _blocks[oldest];
    }

    private static bool Test(ulong w0, ulong w1, ulong w2, ulong w3, int i)
    {
        var word = (i >> 6) switch { 0 => w0, 1 => w1, 2 => w2, _ => w3 };
        return (word & (1UL << (i & 63))) != 0;
    }

    private static void Set(ref ulong w0, ref ulong w1, ref ulong w2, ref ulong w3, int i)
    {
        var bit = 1UL << (i & 63);
        switch (i >> 6)
        {
            case 0: w0 |= bit; break;
            case 1: w1 |= bit; break;
            case 2: w2 |= bit; break;
            default: w3 |= bit; break;
        }
    }
}
