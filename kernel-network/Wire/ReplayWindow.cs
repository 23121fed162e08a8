namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// Which of the last 1024 transport sequences have been accepted: a circular bitmap indexed by sequence mod 1024
/// below the highest accepted one. Anything older than the window counts as replayed. Sequences never wrap (the
/// sealer stops a session before 2^32). Single-threaded.
/// </summary>
public sealed class ReplayWindow
{
    public const int Size = 1024;
    private readonly ulong[] _bits = new ulong[Size / 64];
    private long _top = -1;

    /// <summary>True when <paramref name="sequence"/> has not been accepted and is not older than the window.</summary>
    public bool IsFresh(uint sequence)
    {
        if (sequence > _top)
        {
            return true;
        }
        if (_top - sequence >= Size)
        {
            return false;
        }
        return (_bits[(sequence & (Size - 1)) >> 6] & (1UL << (int)(sequence & 63))) == 0;
    }

    /// <summary>Records <paramref name="sequence"/> as accepted; call only after it authenticated.</summary>
    public void Accept(uint sequence)
    {
        if (sequence > _top)
        {
            if (sequence - _top >= Size)
            {
                Array.Clear(_bits);
            }
            else
            {
                for (var s = _top + 1; s < sequence; s++)
                {
                    _bits[(s & (Size - 1)) >> 6] &= ~(1UL << (int)(s & 63));
                }
                _bits[(sequence & (Size - 1)) >> 6] &= ~(1UL << (int)(sequence & 63));
            }
            _top = sequence;
        }
        _bits[(sequence & (Size - 1)) >> 6] |= 1UL << (int)(sequence & 63);
    }
}
