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
/// (<see cref="H264Continuity"/>), which libavcodec alone does not report. Such a frame is first held for up to
/// <see cref="ReorderHoldNs"/>: the frame before it may only be late (a retransmission overtaken by the next frame),
/// and when it comes both are decoded in order; only a gap that stays is a loss. Single-threaded (the decode thread).
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

    /// <summary>How long a frame after an H.264 frame_num gap waits for the missing frame before the gap counts as a loss.</summary>
    public const long ReorderHoldNs = 150_000_000;

    private sealed record HeldFrame(SlotHeader Header, byte[] Payload, long CaptureNs, long HeldAtNs);

    private readonly List<HeldFrame> _held = [];

    public DecodeStage(PicturePool pool) => _pool = pool;

    /// <summary>Frames held at a frame_num gap and decoded in order once the missing frame arrived late (the late one included).</summary>
    public long FramesReordered { get; private set; }

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
        if (keyframe)
        {
            DropHeld();
        }
        else if (_waitingForKeyframe)
        {
            SkippedUntilKeyframe++;
            return false;
        }
        else if (header.Codec == VideoCodec.H264 && (_held.Count > 0 || !_h264.Fits(payload)))
        {
            // A reference picture before this one is missing, or only late: hold it for a moment (see Tick).
            Hold(header, payload, captureNs, nowNs);
            return DecodeHeld(nowNs, onPicture);
        }
        if (header.Codec == VideoCodec.H264)
        {
            _h264.Accept(payload);
        }
        _waitingForKeyframe = false;
        return DecodeNow(header, payload, captureNs, nowNs, onPicture, keyframe);
    }

    /// <summary>
    /// Called on every turn of the decode loop: a held frame whose gap was not filled within <see cref="ReorderHoldNs"/>
    /// is given up (false: ask for a keyframe).
    /// </summary>
    public bool Tick(long nowNs)
    {
        if (_held.Count == 0 || nowNs - _held[0].HeldAtNs < ReorderHoldNs)
        {
            return true;
        }
        var first = _held[0].Header.FrameId;
        _h264.Accept(_held[0].Payload); // counts the gap
        SkippedUntilKeyframe += _held.Count;
        _held.Clear();
        _waitingForKeyframe = true;
        LastProblem = $"frame {first}: a reference picture before it never arrived (H.264 frame_num gap)";
        return false;
    }

    private void Hold(in SlotHeader header, ReadOnlySpan<byte> payload, long captureNs, long nowNs)
    {
        var at = _held.Count;
        while (at > 0 && _held[at - 1].Header.FrameId > header.FrameId)
        {
            at--;
        }
        _held.Insert(at, new HeldFrame(header, payload.ToArray(), captureNs, nowNs));
    }

    /// <summary>Decodes held frames from the oldest while each continues the reference chain.</summary>
    private bool DecodeHeld(long nowNs, Action<Picture> onPicture)
    {
        while (_held.Count > 0 && _h264.Fits(_held[0].Payload))
        {
            var next = _held[0];
            _held.RemoveAt(0);
            _h264.Accept(next.Payload);
            FramesReordered++;
            if (!DecodeNow(next.Header, next.Payload, next.CaptureNs, nowNs, onPicture, keyframe: false))
            {
                DropHeld();
                return false;
            }
        }
        return true;
    }

    private void DropHeld()
    {
        SkippedUntilKeyframe += _held.Count;
        _held.Clear();
    }

    private bool DecodeNow(in SlotHeader header, ReadOnlySpan<byte> payload, long captureNs, long nowNs, Action<Picture> onPicture, bool keyframe)
    {
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
