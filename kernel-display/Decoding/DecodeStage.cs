using Aqs.Kernel.Display.Pictures;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Display.Decoding;

/// <summary>
/// Turns the received frames of any rung into pictures: the decoder is reopened when the codec changes or a frame
/// flagged <see cref="SlotFlags.RungSwitch"/> names another size or format than the frames before it (a keyframe,
/// so nothing is lost), and each decoded picture is copied out of the decoder into a pooled buffer at the size it was
/// encoded at (scaling to the source or the screen happens later, where it is needed). A packet the decoder refuses
/// or a picture it had to conceal is not shown: the last good picture stays on screen, a keyframe is asked for, and
/// frames are skipped until one comes; for H.264 a frame that never arrived is noticed from the next one's frame_num
/// (<see cref="H264Continuity"/>), which libavcodec alone does not report. Single-threaded (the decode thread).
/// </summary>
public sealed class DecodeStage : IDisposable
{
    private const int Pending = 64;

    private readonly PicturePool _pool;
    private readonly H264Continuity _h264 = new();
    private readonly (long FrameId, long CaptureNs, long DurationNs)[] _pending = new (long, long, long)[Pending];
    private VideoDecoder? _decoder;
    private FrameLayout? _layout;
    private bool _waitingForKeyframe;
    private long _decoderFramesBefore;
    private long _corruptBefore;
    private long _errorsBefore;

    public DecodeStage(PicturePool pool) => _pool = pool;

    public long FramesDecoded { get; private set; }
    /// <summary>Packets refused and pictures concealed by the decoder (never shown).</summary>
    public long DecodeErrors { get; private set; }
    /// <summary>Frames not decoded while waiting for a keyframe after an error.</summary>
    public long SkippedUntilKeyframe { get; private set; }
    public long DecoderReopens { get; private set; }
    public long RungSwitches { get; private set; }
    /// <summary>Pictures that showed a missing reference picture before them (H.264 frame_num).</summary>
    public long MissingReferences => _h264.Gaps;
    public string? DecoderName => _decoder?.DecoderName;

    /// <summary>Why the last <see cref="Decode"/> that returned false did, in words (for the log).</summary>
    public string? LastProblem { get; private set; }

    /// <summary>
    /// Decodes one received frame; every picture that comes out goes to <paramref name="onPicture"/> (held once).
    /// Returns false when the stream is damaged and a keyframe should be asked for.
    /// </summary>
    /// <param name="captureNs">The frame's capture time on this host's clock.</param>
    public bool Decode(in SlotHeader header, ReadOnlySpan<byte> payload, long captureNs, long nowNs, Action<Picture> onPicture)
    {
        var keyframe = (header.Flags & SlotFlags.Keyframe) != 0;
        var layout = header.Format != PixelFormat.None && header.Width > 0 && header.Height > 0 ? header.Layout : (FrameLayout?)null;
        if (_layout is not null && layout is not null && layout != _layout)
        {
            RungSwitches++;
        }
        if (_decoder is null || _decoder.Codec != header.Codec
            || ((header.Flags & SlotFlags.RungSwitch) != 0 && layout is not null && layout != _layout && _layout is not null))
        {
            Reopen(header.Codec, nowNs, onPicture);
        }
        _layout = layout ?? _layout;
        if (header.Codec == VideoCodec.H264 && !_h264.Accept(payload) && !keyframe)
        {
            // A reference picture before this one never arrived: decoding on would show smeared pictures.
            _waitingForKeyframe = true;
            LastProblem = $"frame {header.FrameId}: a reference picture before it never arrived (H.264 frame_num gap)";
        }
        if (_waitingForKeyframe && !keyframe)
        {
            SkippedUntilKeyframe++;
            return false;
        }
        _waitingForKeyframe = false;
        _pending[header.FrameId % Pending] = (header.FrameId, captureNs, header.DurationNs);
        var decoder = _decoder!;
        var sent = decoder.Send(payload, header.FrameId);
        var healthy = Receive(decoder, nowNs, onPicture) && sent;
        if (!healthy)
        {
            _waitingForKeyframe = !keyframe;
            LastProblem = $"frame {header.FrameId}: the decoder refused it or concealed damage";
        }
        return healthy;
    }

    /// <summary>End of stream: the pictures the decoder still holds.</summary>
    public void Drain(long nowNs, Action<Picture> onPicture)
    {
        if (_decoder is null)
        {
            return;
        }
        _decoder.Drain();
        Receive(_decoder, nowNs, onPicture);
    }

    private void Reopen(VideoCodec codec, long nowNs, Action<Picture> onPicture)
    {
        if (_decoder is not null)
        {
            Drain(nowNs, onPicture);
            _decoder.Dispose();
            DecoderReopens++;
        }
        _decoder = VideoDecoder.Open(codec);
        _h264.Reset();
        _decoderFramesBefore = _corruptBefore = _errorsBefore = 0;
    }

    private bool Receive(VideoDecoder decoder, long nowNs, Action<Picture> onPicture)
    {
        var healthy = decoder.CorruptPackets == _corruptBefore; // false: a packet was refused
        var errors = decoder.DecodeErrors;
        while (decoder.TryReceive(out var frame))
        {
            if (decoder.DecodeErrors != errors)
            {
                // libavcodec concealed damage in this picture: hold the last good one instead.
                errors = decoder.DecodeErrors;
                healthy = false;
                continue;
            }
            var (id, capture, duration) = _pending[frame.Pts % Pending];
            var known = id == frame.Pts;
            var picture = _pool.Rent(frame.View.Layout);
            frame.View.CopyTo(picture.Data);
            picture.FrameId = frame.Pts;
            picture.CaptureNs = known ? capture : nowNs;
            picture.DurationNs = known ? duration : 0;
            picture.ReadyNs = nowNs;
            picture.IsKeyframe = frame.IsKeyframe;
            picture.Color = frame.Color;
            onPicture(picture);
        }
        DecodeErrors += decoder.CorruptPackets - _corruptBefore + decoder.DecodeErrors - _errorsBefore;
        _corruptBefore = decoder.CorruptPackets;
        _errorsBefore = decoder.DecodeErrors;
        FramesDecoded += decoder.FramesDecoded - _decoderFramesBefore;
        _decoderFramesBefore = decoder.FramesDecoded;
        return healthy;
    }

    public void Dispose() => _decoder?.Dispose();
}
