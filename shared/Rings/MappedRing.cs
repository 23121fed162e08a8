using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using Aqs.Shared.Security;
using Aqs.Shared.Timing;

namespace Aqs.Shared.Rings;

/// <summary>
/// A ring file mapped into this process: the only type that touches the mapping's pointer.
/// Every access is bounds-checked against the mapped length (the other side of the ring is
/// another process, so indices that come out of the file are not trusted).
/// </summary>
internal sealed unsafe class MappedRing : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;
    private readonly long _length;

    public string Path { get; }
    public string Name { get; }
    public int SlotCount { get; }
    public int SlotSize { get; }
    public int SlotCapacity { get; }
    public int MaxConsumers { get; }
    public long Mask { get; }

    private MappedRing(string path, FileStream stream, long length)
    {
        Path = path;
        Name = System.IO.Path.GetFileName(path);
        _length = length;
        _file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        _view = _file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
        SlotCount = Int32(RingDescriptor.SlotCountOffset);
        SlotSize = Int32(RingDescriptor.SlotSizeOffset);
        SlotCapacity = Int32(RingDescriptor.SlotCapacityOffset);
        MaxConsumers = Int32(RingDescriptor.MaxConsumersOffset);
        Mask = SlotCount - 1;
    }

    /// <summary>Creates the file (O_CREAT|O_EXCL, mode 0600) and writes its header, magic last. Null if it already exists.</summary>
    public static MappedRing? TryCreate(string path, RingOptions options)
    {
        var slotSize = RingDescriptor.SlotSizeFor(options.SlotCapacity);
        var length = RingDescriptor.FileLength(options.SlotCount, slotSize);
        FileStream stream;
        try
        {
            var create = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.ReadWrite | FileShare.Delete,
            };
            if (!OperatingSystem.IsWindows())
            {
                // open(2) with O_CREAT|O_EXCL and mode 0600: the owner only, from the first instant.
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            stream = new FileStream(path, create);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RingException($"cannot create ring file {path}: {ex.Message}", ex);
        }
        try
        {
            Span<byte> identity = stackalloc byte[RingDescriptor.HeaderLength];
            identity.Clear();
            BinaryPrimitives.WriteInt32LittleEndian(identity[RingDescriptor.VersionOffset..], RingDescriptor.Version);
            BinaryPrimitives.WriteInt32LittleEndian(identity[RingDescriptor.SlotCountOffset..], options.SlotCount);
            BinaryPrimitives.WriteInt32LittleEndian(identity[RingDescriptor.SlotSizeOffset..], slotSize);
            BinaryPrimitives.WriteInt32LittleEndian(identity[RingDescriptor.SlotCapacityOffset..], options.SlotCapacity);
            BinaryPrimitives.WriteInt32LittleEndian(identity[RingDescriptor.MaxConsumersOffset..], options.MaxConsumers);
            BinaryPrimitives.WriteInt32LittleEndian(identity[RingDescriptor.HeaderLengthOffset..], RingDescriptor.HeaderLength);
            BinaryPrimitives.WriteInt64LittleEndian(identity[RingDescriptor.StaleAfterNsOffset..], (long)options.StaleAfter.TotalNanoseconds);
            BinaryPrimitives.WriteInt64LittleEndian(identity[RingDescriptor.CreatedNsOffset..], MonotonicClock.NowNs);
            stream.SetLength(length);
            Reserve(stream, path, length);
            RandomAccess.Write(stream.SafeFileHandle, identity, 0);
            var ring = new MappedRing(path, stream, length);
            // Magic last, with release semantics: a consumer that sees it sees the whole header.
            Volatile.Write(ref ring.Int64(RingDescriptor.MagicOffset), unchecked((long)RingDescriptor.Magic));
            return ring;
        }
        catch (Exception ex)
        {
            stream.Dispose();
            File.Delete(path);
            if (ex is IOException)
            {
                throw new RingException($"cannot create ring file {path}: {ex.Message}", ex);
            }
            throw;
        }
    }

    /// <summary>
    /// Maps an existing ring file after checking its header. Throws <see cref="FileNotFoundException"/>
    /// when absent and <see cref="RingNotReadyException"/> when it is still being created (empty or magic 0).
    /// </summary>
    public static MappedRing Open(string path)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
        });
        try
        {
            // A ring another user can write is a way to feed this process forged frames and indices.
            if (OwnerOnlyFile.Problem(stream.SafeFileHandle, path, "ring file") is { } foreign)
            {
                throw new RingException(foreign);
            }
            var length = stream.Length;
            Span<byte> header = stackalloc byte[64];
            if (length < RingDescriptor.HeaderLength)
            {
                if (length == 0)
                {
                    throw new RingNotReadyException($"ring file {path} is empty (truncated, or its producer is still creating it)");
                }
                throw new RingException($"ring file {path} is truncated: {length} bytes, shorter than its {RingDescriptor.HeaderLength}-byte header page");
            }
            RandomAccess.Read(stream.SafeFileHandle, header, 0);
            var magic = BinaryPrimitives.ReadUInt64LittleEndian(header[RingDescriptor.MagicOffset..]);
            if (magic == 0)
            {
                throw new RingNotReadyException($"ring file {path} has no magic yet (magic=0: its producer is still creating it, or it is not a ring)");
            }
            if (magic != RingDescriptor.Magic)
            {
                throw new RingException($"ring file {path} has wrong magic 0x{magic:x16} (expected 0x{RingDescriptor.Magic:x16}): not an AQS ring");
            }
            var version = BinaryPrimitives.ReadInt32LittleEndian(header[RingDescriptor.VersionOffset..]);
            if (version != RingDescriptor.Version)
            {
                throw new RingException($"ring file {path} has layout version {version}; this build reads version {RingDescriptor.Version}");
            }
            var slotCount = BinaryPrimitives.ReadInt32LittleEndian(header[RingDescriptor.SlotCountOffset..]);
            var slotSize = BinaryPrimitives.ReadInt32LittleEndian(header[RingDescriptor.SlotSizeOffset..]);
            var capacity = BinaryPrimitives.ReadInt32LittleEndian(header[RingDescriptor.SlotCapacityOffset..]);
            var maxConsumers = BinaryPrimitives.ReadInt32LittleEndian(header[RingDescriptor.MaxConsumersOffset..]);
            var headerLength = BinaryPrimitives.ReadInt32LittleEndian(header[RingDescriptor.HeaderLengthOffset..]);
            if (slotCount < 2 || (slotCount & (slotCount - 1)) != 0)
            {
                throw new RingException($"ring file {path} has slot count {slotCount}, not a power of two >= 2");
            }
            if (capacity < 1 || capacity > RingDescriptor.MaxSlotCapacity || slotSize != RingDescriptor.SlotSizeFor(capacity))
            {
                throw new RingException($"ring file {path} has slot size {slotSize} that does not fit slot capacity {capacity}");
            }
            if (maxConsumers < 1 || maxConsumers > RingDescriptor.MaxConsumerLimit)
            {
                throw new RingException($"ring file {path} has max consumers {maxConsumers}, outside 1..{RingDescriptor.MaxConsumerLimit}");
            }
            if (headerLength != RingDescriptor.HeaderLength)
            {
                throw new RingException($"ring file {path} has header length {headerLength}; this build uses {RingDescriptor.HeaderLength}");
            }
            var expected = RingDescriptor.FileLength(slotCount, slotSize);
            if (length != expected)
            {
                throw new RingException($"ring file {path} is {length} bytes but its header (size) says {expected} ({slotCount} slots of {slotSize} bytes + {RingDescriptor.HeaderLength}): truncated or resized");
            }
            return new MappedRing(path, stream, length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes the file's pages from /dev/shm now, so a full /dev/shm is one line at creation instead of a SIGBUS in
    /// whichever process first touches a page that tmpfs cannot supply.
    /// </summary>
    private static void Reserve(FileStream stream, string path, long length)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var error = Interop.Libc.posix_fallocate(stream.SafeFileHandle, 0, length);
        if (error == Interop.Libc.ENOSPC)
        {
            var folder = System.IO.Path.GetDirectoryName(path);
            throw new RingException($"cannot create ring file {path}: {folder} has no room for its {length / (1024.0 * 1024):F1} MiB " +
                $"(ENOSPC); free space there or give it more (docker --shm-size, the pod's /dev/shm sizeLimit)");
        }
        if (error != 0)
        {
            throw new RingException($"cannot create ring file {path}: posix_fallocate of {length} bytes failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
        }
    }

    /// <summary>The whole mapping (header page and every slot), for page locking; see FrameWriter.TryLockPages.</summary>
    internal (IntPtr Address, long Length) Mapping => ((IntPtr)_base, _length);

    public ref long Int64(int offset)
    {
        if ((uint)offset > RingDescriptor.HeaderLength - sizeof(long) || (offset & 7) != 0)
        {
            ThrowOutOfRange(offset);
        }
        return ref Unsafe.AsRef<long>(_base + offset);
    }

    public ref int Int32(int offset)
    {
        if ((uint)offset > RingDescriptor.HeaderLength - sizeof(int) || (offset & 3) != 0)
        {
            ThrowOutOfRange(offset);
        }
        return ref Unsafe.AsRef<int>(_base + offset);
    }

    public Span<byte> HeaderBytes(int offset, int length)
    {
        if ((uint)offset > RingDescriptor.HeaderLength || (uint)length > (uint)(RingDescriptor.HeaderLength - offset))
        {
            ThrowOutOfRange(offset);
        }
        return new Span<byte>(_base + offset, length);
    }

    public ref long WriteCursor => ref Int64(RingDescriptor.WriteCursorOffset);

    public ref int Closed => ref Int32(RingDescriptor.ClosedOffset);

    public ref int ConsumersGeneration => ref Int32(RingDescriptor.ConsumersGenerationOffset);

    public ref int ProducerWaiting => ref Int32(RingDescriptor.ProducerWaitingOffset);

    public ref int ProducerPid => ref Int32(RingDescriptor.ProducerPidOffset);

    public ref long ProducerHeartbeatNs => ref Int64(RingDescriptor.ProducerHeartbeatOffset);

    public long StaleAfterNs => Volatile.Read(ref Int64(RingDescriptor.StaleAfterNsOffset));

    public ConsumerBlock Consumer(int index)
    {
        if ((uint)index >= (uint)MaxConsumers)
        {
            ThrowOutOfRange(index);
        }
        return new ConsumerBlock(this, RingDescriptor.ConsumerOffset(index));
    }

    /// <summary>The header of the slot that holds sequence <paramref name="sequence"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref SlotHeader Slot(long sequence)
    {
        var offset = RingDescriptor.SlotOffset((int)(sequence & Mask), SlotSize);
        return ref Unsafe.AsRef<SlotHeader>(_base + offset);
    }

    /// <summary>The first <paramref name="length"/> payload bytes of the slot holding <paramref name="sequence"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Payload(long sequence, int length)
    {
        if ((uint)length > (uint)SlotCapacity)
        {
            ThrowOutOfRange(length);
        }
        var offset = RingDescriptor.SlotOffset((int)(sequence & Mask), SlotSize) + RingDescriptor.SlotHeaderLength;
        return new Span<byte>(_base + offset, length);
    }

    public void Dispose()
    {
        if (_base == null)
        {
            return;
        }
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOutOfRange(long value) =>
        throw new ArgumentOutOfRangeException(nameof(value), $"ring {Name}: offset or index {value} is outside the mapped {_length} bytes");
}

/// <summary>The ring file exists but its producer has not finished creating it.</summary>
internal sealed class RingNotReadyException(string message) : Exception(message);
