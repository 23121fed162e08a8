using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Any input libavformat opens (mp4, mkv, webm, ivf, ts, URLs), demuxed and decoded by the media
/// layer and converted to the nearest pipeline pixel format.
/// </summary>
public sealed class MediaFileSource : IFrameSource
{
    private readonly MediaFileReader _reader;
    private long _index;

    private MediaFileSource(MediaFileReader reader, bool isLive)
    {
        _reader = reader;
        IsLive = isLive;
    }

    /// <summary>True for x11grab / v4l2 capture.</summary>
    public bool IsLive { get; }

    /// <summary>
    /// Opens a file or URL (rtmp://, http://... through libavformat like a file; srt://, rist://, udp:// and .sdp go to
    /// <see cref="LiveStreamSource"/>, which waits for its sender and reconnects), or live capture through
    /// libavdevice: <c>x11grab:DISPLAY</c> (e.g. <c>x11grab::99</c>, <c>x11grab::99.0+0,0</c>) and
    /// <c>v4l2:/dev/videoN</c>. For capture, --size becomes the device's video_size and --fps its framerate.
    /// </summary>
    public static IFrameSource Open(string input, SourceOpenOptions options)
    {
        if (LiveStreamSource.Handles(input))
        {
            return LiveStreamSource.Open(input, options);
        }
        var capture = CaptureInput.TryParse(input, options);
        try
        {
            // Every failure below becomes our one line; libav's own lines would come before it.
            MediaLog.Quiet();
            var reader = capture is null
                ? MediaFileReader.Open(input)
                : MediaFileReader.Open(capture.Url, capture.FormatName, capture.Options);
            return new MediaFileSource(reader, capture is not null);
        }
        catch (AvException ex)
        {
            throw new SourceException($"{input}: {ex.Message}");
        }
        catch (UserFacingException ex) when (ex is not SourceException)
        {
            throw new SourceException($"{input}: {ex.Message}");
        }
    }

    public FrameLayout Layout => _reader.Layout;

    public double Fps => _reader.Fps;

    /// <summary>The colour description of the last frame read (the stream's own; unknown before the first frame).</summary>
    public ColorDescription Color { get; private set; } = ColorDescription.Unknown;

    public bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info)
    {
        bool got;
        DecodedFrame frame;
        try
        {
            got = _reader.TryReadFrame(out frame);
        }
        catch (AvException ex)
        {
            throw new SourceException($"{_reader.Path}: frame {_index}: {ex.Message}");
        }
        if (!got)
        {
            info = default;
            return false;
        }
        frame.View.CopyTo(destination);
        Color = frame.Color;
        var ptsNs = frame.PtsNs >= 0 ? frame.PtsNs : (long)(_index * 1e9 / Math.Max(1.0, Fps));
        info = new SourceFrameInfo(_index++, ptsNs, SceneCut: false, Keyframe: frame.IsKeyframe);
        return true;
    }

    public void Dispose() => _reader.Dispose();
}
