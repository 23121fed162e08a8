using Aqs.Kernel.Network.Fec;

namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// Turns opened media/parity datagrams of one stream back into frames. Data shards are copied straight to their
/// place in the frame; parity is kept aside and, once any k of a block's k+m shards are in, the missing data shards
/// are rebuilt in place. Out-of-order and duplicate packets are fine; frames incomplete after the deadline are
/// evicted and counted lost. Complete frames are handed out in completion order; <see cref="TryOldestAssembling"/>
/// lets the caller put them back in sending order. Memory is fixed at construction (<see cref="ReassemblerOptions"/>); no allocation
/// per packet; hostile input is counted, never thrown. Single-threaded.
/// </summary>
public sealed class FrameReassembler : IDisposable
{
    private readonly IErasureCoder _coder;
    private readonly ReassemblerOptions _options;
    private readonly FrameSlot[] _slots;
    private readonly ShardSet _shards = new();
    private readonly ReplayWindow _finished = new();
    private readonly int[] _ready;
    private int _readyHead;
    private int _readyCount;
    private readonly uint[] _lost = new uint[64];
    private int _lostHead;
    private int _lostCount;
    private ReassemblyCounters _counters;

    public FrameReassembler(IErasureCoder coder, ReassemblerOptions options)
    {
        if (options.MaxFrameLength < 1 || options.MaxFrameLength > WireFormat.MaxFrameLength || options.Slots < 1 ||
            options.MaxParityShardsPerFrame < 0 || options.FrameDeadlineUs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"invalid reassembler options: {options}");
        }
        _coder = coder;
        _options = options;
        var maxBlocks = (options.MaxFrameLength + WireFormat.MaxPayload - 1) / WireFormat.MaxPayload;
        _slots = new FrameSlot[options.Slots];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new FrameSlot(options.MaxFrameLength, options.MaxParityShardsPerFrame, maxBlocks);
        }
        _ready = new int[options.Slots];
    }

    public ReassemblyCounters Counters => _counters;

    /// <summary>
    /// Takes one packet that <see cref="DatagramSealer.Open"/> accepted: its header and its payload bytes.
    /// <paramref name="nowUs"/> is the receiver's monotonic clock (for deadlines).
    /// </summary>
    public ReassemblyResult Accept(in PacketHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        var result = AcceptCore(header, payload, nowUs);
        switch (result)
        {
            case ReassemblyResult.Stored:
            case ReassemblyResult.Completed: _counters.Stored++; break;
            case ReassemblyResult.Duplicate: _counters.Duplicate++; break;
            case ReassemblyResult.Redundant: _counters.Redundant++; break;
            case ReassemblyResult.Stale: _counters.Stale++; break;
            case ReassemblyResult.Inconsistent: _counters.Inconsistent++; break;
            case ReassemblyResult.TooLarge: _counters.TooLarge++; break;
            case ReassemblyResult.NoSlot: _counters.NoSlot++; break;
            default: _counters.NotForUs++; break;
        }
        return result;
    }

    /// <summary>Evicts frames whose deadline has passed; returns how many were lost.</summary>
    public int Expire(long nowUs)
    {
        var lost = 0;
        foreach (var slot in _slots)
        {
            if (slot.State == SlotState.Assembling && nowUs - slot.FirstArrivalUs > _options.FrameDeadlineUs)
            {
                Lose(slot);
                lost++;
            }
        }
        return lost;
    }

    public bool TryTakeFrame(out ReassembledFrame frame)
    {
        if (_readyCount == 0)
        {
            frame = default;
            return false;
        }
        var index = _ready[_readyHead];
        _readyHead = (_readyHead + 1) % _ready.Length;
        _readyCount--;
        var s = _slots[index];
        s.State = SlotState.Delivered;
        frame = new ReassembledFrame(index, s.FrameId, _options.StreamId, s.Keyframe, s.FrameLength, s.FirstArrivalUs, s.CompletedUs, s.RecoveredShards);
        return true;
    }

    /// <summary>
    /// The oldest frame still being assembled, in sending order (frame ids rise as the sender sends, serial arithmetic
    /// across the wrap); false when none is.
    /// </summary>
    public bool TryOldestAssembling(out uint frameId)
    {
        var found = false;
        frameId = 0;
        foreach (var slot in _slots)
        {
            if (slot.State == SlotState.Assembling && (!found || IsBefore(slot.FrameId, frameId)))
            {
                frameId = slot.FrameId;
                found = true;
            }
        }
        return found;
    }

    /// <summary>Whether frame <paramref name="a"/> was sent before frame <paramref name="b"/> (RFC 1982 serial order).</summary>
    public static bool IsBefore(uint a, uint b) => (int)(a - b) < 0;

    /// <summary>The bytes of a frame from <see cref="TryTakeFrame"/>, valid until it is released.</summary>
    public ReadOnlySpan<byte> Data(in ReassembledFrame frame)
    {
        var s = SlotOf(frame);
        return s.Data.Span[..s.FrameLength];
    }

    public void Release(in ReassembledFrame frame) => SlotOf(frame).State = SlotState.Free;

    /// <summary>Frame ids lost since the last call, oldest first (for keyframe requests); the last 64 are kept.</summary>
    public bool TryTakeLostFrame(out uint frameId)
    {
        if (_lostCount == 0)
        {
            frameId = 0;
            return false;
        }
        frameId = _lost[_lostHead];
        _lostHead = (_lostHead + 1) % _lost.Length;
        _lostCount--;
        return true;
    }

    private ReassemblyResult AcceptCore(in PacketHeader h, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (!h.IsShard || h.StreamId != _options.StreamId)
        {
            return ReassemblyResult.NotForUs;
        }
        if (payload.Length != h.PayloadLength)
        {
            return ReassemblyResult.Inconsistent;
        }
        if (!_finished.IsFresh(h.FrameId))
        {
            return ReassemblyResult.Stale;
        }
        var slot = Find(h.FrameId);
        if (slot is null)
        {
            if (h.FrameLength > _options.MaxFrameLength || h.BlockCount > _slots[0].Blocks.Length)
            {
                return ReassemblyResult.TooLarge;
            }
            slot = Claim();
            if (slot is null)
            {
                return ReassemblyResult.NoSlot;
            }
            slot.Start(h, nowUs);
        }
        else if (slot.FrameLength != h.FrameLength || slot.BlockCount != h.BlockCount || slot.Keyframe != h.IsKeyframe)
        {
            return ReassemblyResult.Inconsistent;
        }

        ref var block = ref slot.Blocks[h.BlockIndex];
        if (!block.Seen)
        {
            if (slot.ParityUsed + h.ParityShards > _options.MaxParityShardsPerFrame)
            {
                return ReassemblyResult.TooLarge;
            }
            block.Start(h, slot.ParityUsed);
            slot.ParityUsed += h.ParityShards;
        }
        else if (block.DataShards != h.DataShards || block.ParityShards != h.ParityShards || block.ShardSize != h.ShardSize ||
                 block.Offset != h.BlockOffset)
        {
            return ReassemblyResult.Inconsistent;
        }
        if (block.Done)
        {
            return ReassemblyResult.Redundant;
        }
        if (block.Present[h.ShardIndex])
        {
            return ReassemblyResult.Duplicate;
        }

        if (h.ShardIndex < block.DataShards)
        {
            var target = slot.Data.Span.Slice(block.Offset + h.ShardIndex * block.ShardSize, block.ShardSize);
            payload.CopyTo(target);
            target[payload.Length..].Clear(); // the short last shard counts as zero-padded
            block.DataPresent++;
        }
        else
        {
            payload.CopyTo(slot.Parity.Span.Slice((block.ParityBase + h.ShardIndex - block.DataShards) * WireFormat.MaxPayload, block.ShardSize));
        }
        block.Present.Set(h.ShardIndex);
        block.Count++;

        if (block.DataPresent < block.DataShards)
        {
            if (block.Count < block.DataShards)
            {
                return ReassemblyResult.Stored;
            }
            Recover(slot, ref block);
        }
        block.Done = true;
        slot.BlocksDone++;
        if (slot.BlocksDone < slot.BlockCount)
        {
            return ReassemblyResult.Stored;
        }
        if (!slot.BlocksTileFrame())
        {
            Lose(slot);
            return ReassemblyResult.Inconsistent;
        }
        Complete(slot, nowUs);
        return ReassemblyResult.Completed;
    }

    private void Recover(FrameSlot slot, ref BlockState block)
    {
        int k = block.DataShards, m = block.ParityShards;
        _shards.Configure(k, m, block.ShardSize);
        for (var i = 0; i < k; i++)
        {
            _shards.Bind(i, slot.Data, block.Offset + i * block.ShardSize);
        }
        for (var j = 0; j < m; j++)
        {
            _shards.Bind(k + j, slot.Parity, (block.ParityBase + j) * WireFormat.MaxPayload);
        }
        _coder.Reconstruct(_shards, block.Present);
        var rebuilt = k - block.DataPresent;
        slot.RecoveredShards += rebuilt;
        _counters.ShardsRecovered += rebuilt;
        block.DataPresent = k;
    }

    private void Complete(FrameSlot slot, long nowUs)
    {
        slot.State = SlotState.Ready;
        slot.CompletedUs = nowUs;
        _finished.Accept(slot.FrameId);
        _counters.FramesCompleted++;
        if (slot.RecoveredShards > 0)
        {
            _counters.FramesRecovered++;
        }
        var index = Array.IndexOf(_slots, slot);
        _ready[(_readyHead + _readyCount) % _ready.Length] = index;
        _readyCount++;
    }

    private void Lose(FrameSlot slot)
    {
        _finished.Accept(slot.FrameId);
        _counters.FramesLost++;
        _lost[(_lostHead + _lostCount) % _lost.Length] = slot.FrameId;
        if (_lostCount < _lost.Length)
        {
            _lostCount++;
        }
        else
        {
            _lostHead = (_lostHead + 1) % _lost.Length; // full: forget the oldest
        }
        slot.State = SlotState.Free;
    }

    private FrameSlot? Find(uint frameId)
    {
        foreach (var slot in _slots)
        {
            if (slot.State == SlotState.Assembling && slot.FrameId == frameId)
            {
                return slot;
            }
        }
        return null;
    }

    /// <summary>A free slot, else the oldest incomplete frame's (that frame is lost), else none.</summary>
    private FrameSlot? Claim()
    {
        FrameSlot? oldest = null;
        foreach (var slot in _slots)
        {
            if (slot.State == SlotState.Free)
            {
                return slot;
            }
            if (slot.State == SlotState.Assembling && (oldest is null || slot.FirstArrivalUs < oldest.FirstArrivalUs))
            {
                oldest = slot;
            }
        }
        if (oldest is not null)
        {
            Lose(oldest);
        }
        return oldest;
    }

    private FrameSlot SlotOf(in ReassembledFrame frame)
    {
        if ((uint)frame.Slot >= (uint)_slots.Length || _slots[frame.Slot].State != SlotState.Delivered || _slots[frame.Slot].FrameId != frame.FrameId)
        {
            throw new InvalidOperationException($"frame {frame.FrameId} is not held (released twice, or not from TryTakeFrame)");
        }
        return _slots[frame.Slot];
    }

    public void Dispose()
    {
        _shards.Dispose();
        foreach (var slot in _slots)
        {
            slot.Dispose();
        }
    }

    private enum SlotState
    {
        Free,
        Assembling,
        Ready,
        Delivered,
    }

    private struct BlockState
    {
        public bool Seen;
        public bool Done;
        public int DataShards;
        public int ParityShards;
        public int ShardSize;
        public int Offset;
        public int Length;
        public int ParityBase;
        public int DataPresent;
        public int Count;
        public ShardMask Present;

        public void Start(in PacketHeader h, int parityBase)
        {
            this = default;
            Seen = true;
            DataShards = h.DataShards;
            ParityShards = h.ParityShards;
            ShardSize = h.ShardSize;
            Offset = h.BlockOffset;
            Length = h.BlockLength;
            ParityBase = parityBase;
        }
    }

    private sealed class FrameSlot : IDisposable
    {
        public FrameSlot(int maxFrameLength, int maxParity, int maxBlocks)
        {
            // Slack of one shard: the zero padding of a frame's short last shard, and its rebuilt copy, land there.
            Data = new NativeBuffer(maxFrameLength + WireFormat.MaxPayload);
            Parity = new NativeBuffer(Math.Max(1, maxParity) * WireFormat.MaxPayload);
            Blocks = new BlockState[maxBlocks];
        }

        public NativeBuffer Data { get; }
        public NativeBuffer Parity { get; }
        public BlockState[] Blocks { get; }
        public SlotState State;
        public uint FrameId;
        public int FrameLength;
        public int BlockCount;
        public bool Keyframe;
        public long FirstArrivalUs;
        public long CompletedUs;
        public int BlocksDone;
        public int ParityUsed;
        public int RecoveredShards;

        public void Start(in PacketHeader h, long nowUs)
        {
            State = SlotState.Assembling;
            FrameId = h.FrameId;
            FrameLength = h.FrameLength;
            BlockCount = h.BlockCount;
            Keyframe = h.IsKeyframe;
            FirstArrivalUs = nowUs;
            CompletedUs = 0;
            BlocksDone = 0;
            ParityUsed = 0;
            RecoveredShards = 0;
            Array.Clear(Blocks, 0, Math.Min(BlockCount, Blocks.Length));
        }

        /// <summary>Blocks in index order must cover [0, frame length) exactly, without gap or overlap.</summary>
        public bool BlocksTileFrame()
        {
            var expected = 0L;
            for (var b = 0; b < BlockCount; b++)
            {
                if (Blocks[b].Offset != expected)
                {
                    return false;
                }
                expected += Blocks[b].Length;
            }
            return expected == FrameLength;
        }

        public void Dispose()
        {
            Data.Dispose();
            Parity.Dispose();
        }
    }
}
