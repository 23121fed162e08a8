using Microsoft.Win32.SafeHandles;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// An input file read with positioned reads (<c>pread</c>): no stream object, no per-read allocation, and the byte
/// offset of every read is known for error messages. I/O failures become <see cref="SourceException"/>.
/// </summary>
internal sealed class SourceFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    public string Name { get; }

    private SourceFile(SafeFileHandle handle, string name)
    {
        _handle = handle;
        Name = name;
    }

    public static SourceFile Open(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                throw new SourceException($"{path}: is a directory, not a video file");
            }
            return new SourceFile(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan), path);
        }
        catch (FileNotFoundException)
        {
            throw new SourceException($"{path}: no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new SourceException($"{path}: no such file (its folder does not exist)");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SourceException($"{path}: cannot open: {e.Message}");
        }
        catch (IOException e)
        {
            throw new SourceException($"{path}: cannot open: {e.Message}");
        }
    }

    /// <summary>Current length of the file in bytes.</summary>
    public long Length
    {
        get
        {
            try
            {
                return RandomAccess.GetLength(_handle);
            }
            catch (IOException e)
            {
                throw new SourceException($"{Name}: cannot read its length: {e.Message}");
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; returns the bytes read, fewer only at end of file.</summary>
    public int ReadFully(Span<byte> destination, long offset)
    {
        var total = 0;
        try
        {
            while (total < destination.Length)
            {
                var n = RandomAccess.Read(_handle, destination[total..], offset + total);
                if (n <= 0)
                {
                    break;
                }
                total += n;
            }
        }
        catch (IOException e)
        {
            throw SourceException.AtByte(Name, offset + total, $"read failed: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw SourceException.AtByte(Name, offset + total, $"read failed: {e.Message}");
        }
        return total;
    }

    /// <summary>One read of up to <paramref name="destination"/>.Length bytes (may return fewer before the end).</summary>
    public int ReadSome(Span<byte> destination, long offset)
    {
        try
        {
            return RandomAccess.Read(_handle, destination, offset);
        }
        catch (IOException e)
        {
            throw SourceException.AtByte(Name, offset, $"read failed: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw SourceException.AtByte(Name, offset, $"read failed: {e.Message}");
        }
    }

    public void Dispose() => _handle.Dispose();
}
