using System.Runtime.CompilerServices;

namespace Aqs.Shared.Media;

/// <summary>
/// A pointer to one FFmpeg struct of known public size, read and written at <see cref="AvLayout"/> offsets.
/// Every access checks that the field lies inside the struct, so a wrong offset fails loudly instead of
/// scribbling over the heap. The only place outside the bindings that dereferences libav* pointers.
/// </summary>
internal readonly unsafe struct NativeStruct
{
    private readonly byte* _pointer;
    private readonly int _size;

    public NativeStruct(IntPtr pointer, int size)
    {
        if (pointer == IntPtr.Zero)
        {
            throw new InvalidOperationException("null FFmpeg struct pointer");
        }
        _pointer = (byte*)pointer;
        _size = size;
    }

    public static NativeStruct Frame(SafeAvFrameHandle frame) => new(frame.DangerousGetHandle(), AvLayout.AVFrame_size);

    public static NativeStruct Packet(SafeAvPacketHandle packet) => new(packet.DangerousGetHandle(), AvLayout.AVPacket_size_of);

    public static NativeStruct CodecContext(SafeAvCodecContextHandle context) => new(context.DangerousGetHandle(), AvLayout.AVCodecContext_size_of);

    public IntPtr Address => (IntPtr)_pointer;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Read<T>(int offset) where T : unmanaged
    {
        Check(offset, sizeof(T));
        return Unsafe.ReadUnaligned<T>(_pointer + offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write<T>(int offset, T value) where T : unmanaged
    {
        Check(offset, sizeof(T));
        Unsafe.WriteUnaligned(_pointer + offset, value);
    }

    /// <summary>Element <paramref name="index"/> of an array field (data[8], linesize[8], streams...).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadElement<T>(int offset, int index, int count) where T : unmanaged
    {
        if ((uint)index >= (uint)count)
        {
            ThrowOutside(offset, index);
        }
        return Read<T>(offset + index * sizeof(T));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteElement<T>(int offset, int index, int count, T value) where T : unmanaged
    {
        if ((uint)index >= (uint)count)
        {
            ThrowOutside(offset, index);
        }
        Write(offset + index * sizeof(T), value);
    }

    /// <summary>Address of a field, for calls that take a pointer to it (avio_open(&amp;ctx->pb)).</summary>
    public IntPtr FieldAddress(int offset, int fieldSize)
    {
        Check(offset, fieldSize);
        return (IntPtr)(_pointer + offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Check(int offset, int fieldSize)
    {
        if ((uint)offset > (uint)(_size - fieldSize))
        {
            ThrowOutside(offset, fieldSize);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOutside(int offset, int fieldSize) =>
        throw new InvalidOperationException($"field at offset {offset} (+{fieldSize}) lies outside the {_size}-byte FFmpeg struct");
}
