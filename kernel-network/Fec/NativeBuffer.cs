using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// A 64-byte aligned block of unmanaged memory that never moves, so its address can be handed to ISA-L and
/// kept in a <see cref="ShardSet"/>. Zeroed on allocation. Single owner; not thread-safe.
/// </summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    private const int Alignment = 64;
    private byte* _pointer;

    public NativeBuffer(int length)
    {
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "length must be positive");
        }
        _pointer = (byte*)NativeMemory.AlignedAlloc((nuint)length, Alignment);
        NativeMemory.Clear(_pointer, (nuint)length);
        Length = length;
    }

    public int Length { get; }

    public Span<byte> Span => new(Pointer, Length);

    internal byte* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer == null, this);
            return _pointer;
        }
    }

    /// <summary>Address of <paramref name="offset"/>, after checking that <paramref name="length"/> bytes from there lie inside.</summary>
    internal byte* At(int offset, int length)
    {
        if ((uint)offset > (uint)Length || (uint)length > (uint)(Length - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset}+{length}) is outside the buffer of {Length} bytes");
        }
        return Pointer + offset;
    }

    public void Dispose()
    {
        if (_pointer != null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
        GC.SuppressFinalize(this);
    }

    ~NativeBuffer()
    {
        if (_pointer != null)
        {
            NativeMemory.AlignedFree(_pointer);
        }
    }
}
