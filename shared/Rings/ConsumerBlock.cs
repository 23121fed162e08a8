using System.Text;

namespace Aqs.Shared.Rings;

/// <summary>One consumer's words in the header page (see <see cref="RingDescriptor"/>), by reference.</summary>
internal readonly struct ConsumerBlock
{
    private readonly MappedRing _ring;
    private readonly int _offset;

    public ConsumerBlock(MappedRing ring, int offset)
    {
        _ring = ring;
        _offset = offset;
    }

    public ref long Cursor => ref _ring.Int64(_offset + RingDescriptor.ConsumerCursorOffset);
    public ref long HeartbeatNs => ref _ring.Int64(_offset + RingDescriptor.ConsumerHeartbeatOffset);
    public ref int State => ref _ring.Int32(_offset + RingDescriptor.ConsumerStateOffset);
    public ref int Policy => ref _ring.Int32(_offset + RingDescriptor.ConsumerPolicyOffset);
    public ref int Pid => ref _ring.Int32(_offset + RingDescriptor.ConsumerPidOffset);
    public ref int Waiting => ref _ring.Int32(_offset + RingDescriptor.ConsumerWaitingOffset);
    public ref long Epoch => ref _ring.Int64(_offset + RingDescriptor.ConsumerEpochOffset);

    public ConsumerState LoadState() => (ConsumerState)Volatile.Read(ref State);

    public bool HasName(string name)
    {
        var length = Volatile.Read(ref _ring.Int32(_offset + RingDescriptor.ConsumerNameLengthOffset));
        if (length != name.Length)
        {
            return false;
        }
        var stored = _ring.HeaderBytes(_offset + RingDescriptor.ConsumerNameOffset, length);
        for (var i = 0; i < length; i++)
        {
            if (stored[i] != name[i])
            {
                return false;
            }
        }
        return true;
    }

    public string Name
    {
        get
        {
            var length = Math.Clamp(Volatile.Read(ref _ring.Int32(_offset + RingDescriptor.ConsumerNameLengthOffset)), 0, RingDescriptor.MaxConsumerNameLength);
            return Encoding.ASCII.GetString(_ring.HeaderBytes(_offset + RingDescriptor.ConsumerNameOffset, length));
        }
    }

    public void SetName(string name)
    {
        var bytes = _ring.HeaderBytes(_offset + RingDescriptor.ConsumerNameOffset, RingDescriptor.MaxConsumerNameLength);
        bytes.Clear();
        Encoding.ASCII.GetBytes(name, bytes);
        Volatile.Write(ref _ring.Int32(_offset + RingDescriptor.ConsumerNameLengthOffset), name.Length);
    }
}
