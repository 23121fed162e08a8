using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Reads a YUV4MPEG2 file. Every colour space the pipeline carries (<see cref="Y4mHeader"/>); FRAME lines may carry
/// parameters. The frame payload is read straight into the caller's buffer: Y4M planes are packed exactly as
/// <see cref="FrameLayout"/> (16-bit little-endian above 8 bit, chroma sizes rounded up), so nothing is converted.
/// Headers and FRAME lines go through one small buffer allocated at open; nothing is allocated per frame.
/// </summary>
public sealed class Y4mSource : IRewindableSource
{
    /// <summary>The longest FRAME line (with parameters) we accept.</summary>
    public const int MaxFrameLineLength = 1024;

    private const int BufferSize = 64 * 1024;

    private readonly SourceFile _file;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly long _firstFrameOffset;
    private readonly int _frameSize;
    private long _bufferFileOffset; // file offset of _buffer[0]
    private int _bufferPos;
    private int _bufferLength;
    private long _frame;

    public Y4mHeader Header { get; }
    public FrameLayout Layout { get; }
    public double Fps => Header.Rate.Fps;
    public FrameRate Rate => Header.Rate;
    public ColorDescription Color { get; }

    /// <summary>The stream's field order from the I tag.</summary>
    public Y4mInterlace Interlace => Header.Interlace;

    /// <summary>The I parameter of the last FRAME line ('\0' when it had none), e.g. 't' / 'b' / 'p' in mixed streams.</summary>
    public char LastFrameInterlaceTag { get; private set; }

    private Y4mSource(SourceFile file)
    {
        _file = file;
        var lineEnd = FindLine(Y4mHeader.MaxLength);
        if (lineEnd < 0)
        {
            var have = _buffer.AsSpan(0, _bufferLength);
            if (!have.StartsWith("YUV4MPEG2"u8[..Math.Min(9, have.Length)]) || have.Length == 0)
            {
                throw SourceException.AtByte(file.Name, 0, have.Length == 0 ? "empty file, not a YUV4MPEG2 file" : $"not a YUV4MPEG2 file: it starts with '{SourceException.Printable(have, 16)}'");
            }
            throw SourceException.AtByte(file.Name, _bufferLength, _bufferLength < Y4mHeader.MaxLength
                ? "file ends inside the YUV4MPEG2 header line"
                : $"YUV4MPEG2 header line longer than {Y4mHeader.MaxLength} bytes");
        }
        Header = Y4mHeader.Parse(_buffer.AsSpan(0, lineEnd), file.Name);
        Layout = Header.Layout;
        _frameSize = Layout.FrameSize;
        Color = ColorDescription.Unknown.WithRange(Header.ColorRange);
        _bufferPos = lineEnd + 1;
        _firstFrameOffset = _bufferPos;
    }

    /// <summary>Opens <paramref name="path"/> and parses its header; throws <see cref="SourceException"/> if it is not a usable Y4M file.</summary>
    public static Y4mSource Open(string path)
    {
        var file = SourceFile.Open(path);
        try
        {
            return new Y4mSource(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private long Position => _bufferFileOffset + _bufferPos;

    public bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info)
    {
        if (destination.Length < _frameSize)
        {
            throw new ArgumentException($"destination of {destination.Length} bytes is smaller than a {Layout} frame ({_frameSize} bytes)", nameof(destination));
        }
        info = default;
        var frameStart = Position;
        if (!ReadFrameLine(frameStart))
        {
            return false;
        }
        var dst = destination[.._frameSize];
        var fromBuffer = Math.Min(_bufferLength - _bufferPos, _frameSize);
        _buffer.AsSpan(_bufferPos, fromBuffer).CopyTo(dst);
        _bufferPos += fromBuffer;
        if (fromBuffer < _frameSize)
        {
            // The bulk goes straight from the file into the slot; the buffer restarts after it.
            var offset = Position;
            var got = _file.ReadFully(dst[fromBuffer..], offset);
            _bufferFileOffset = offset + got;
            _bufferPos = _bufferLength = 0;
            if (got < _frameSize - fromBuffer)
            {
                throw Truncated(frameStart, fromBuffer + got);
            }
        }
        info = new SourceFrameInfo(_frame, Header.Rate.PtsNs(_frame), false, _frame == 0);
        _frame++;
        return true;
    }

    public bool TrySkipFrame()
    {
        var frameStart = Position;
        if (!ReadFrameLine(frameStart))
        {
            return false;
        }
        var payloadStart = Position;
        var available = _file.Length - payloadStart;
        if (available < _frameSize)
        {
            throw Truncated(frameStart, (int)Math.Max(0, available));
        }
        _bufferFileOffset = payloadStart + _frameSize;
        _bufferPos = _bufferLength = 0;
        _frame++;
        return true;
    }

    public void Rewind()
    {
        _bufferFileOffset = _firstFrameOffset;
        _bufferPos = _bufferLength = 0;
        _frame = 0;
    }

    /// <summary>Consumes "FRAME[ params]\n". False at a clean end of file (no byte left).</summary>
    private bool ReadFrameLine(long frameStart)
    {
        var lineEnd = FindLine(MaxFrameLineLength);
        if (lineEnd < 0)
        {
            var left = _bufferLength - _bufferPos;
            if (left == 0)
            {
                return false;
            }
            var have = _buffer.AsSpan(_bufferPos, left);
            if (!"FRAME"u8.StartsWith(have[..Math.Min(5, left)]))
            {
                throw SourceException.AtFrame(_file.Name, _frame, frameStart, $"expected a FRAME line, found '{SourceException.Printable(have, 24)}'");
            }
            throw SourceException.AtFrame(_file.Name, _frame, frameStart, left < MaxFrameLineLength
                ? "file ends inside the FRAME line"
                : $"FRAME line longer than {MaxFrameLineLength} bytes");
        }
        var line = _buffer.AsSpan(_bufferPos, lineEnd - _bufferPos);
        if (!line.StartsWith("FRAME"u8) || (line.Length > 5 && line[5] != (byte)' '))
        {
            throw SourceException.AtFrame(_file.Name, _frame, frameStart, $"expected a FRAME line, found '{SourceException.Printable(line, 24)}' (garbled file, or the header's size or colour space does not match the data)");
        }
        LastFrameInterlaceTag = '\0';
        for (var i = 5; i + 1 < line.Length; i++)
        {
            if (line[i] == (byte)' ' && line[i + 1] == (byte)'I' && i + 2 < line.Length)
            {
                LastFrameInterlaceTag = (char)line[i + 2];
            }
        }
        _bufferPos = lineEnd + 1;
        return true;
    }

    /// <summary>Index in _buffer of the next '\n' within <paramref name="maxLength"/> bytes of _bufferPos, refilling as needed; -1 if none.</summary>
    private int FindLine(int maxLength)
    {
        var searched = 0;
        while (true)
        {
            var available = _bufferLength - _bufferPos;
            var window = Math.Min(available, maxLength);
            var nl = _buffer.AsSpan(_bufferPos + searched, window - searched).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                return _bufferPos + searched + nl;
            }
            searched = window;
            if (window >= maxLength || !Fill())
            {
                return -1;
            }
        }
    }

    /// <summary>Moves unread bytes to the front and reads more after them; false when the file has nothing more.</summary>
    private bool Fill()
    {
        var left = _bufferLength - _bufferPos;
        if (_bufferPos > 0)
        {
            _buffer.AsSpan(_bufferPos, left).CopyTo(_buffer);
            _bufferFileOffset += _bufferPos;
            _bufferPos = 0;
            _bufferLength = left;
        }
        var n = _file.ReadSome(_buffer.AsSpan(_bufferLength), _bufferFileOffset + _bufferLength);
        _bufferLength += n;
        return n > 0;
    }

    private SourceException Truncated(long frameStart, int got) =>
        SourceException.AtFrame(_file.Name, _frame, frameStart,
            $"truncated: the header promises {Layout} = {_frameSize} bytes a frame, the file ends after {got}");

    public void Dispose() => _file.Dispose();
}
