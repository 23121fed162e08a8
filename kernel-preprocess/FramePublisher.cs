using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Compression;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Preprocess;

/// <summary>
/// One frame of Kernel B's loop per <see cref="Step"/>: read a frame, wait until it is due, stamp the capture time,
/// store it in a <c>ref</c> slot (as is, or losslessly compressed) and copy it into a <c>raw</c> slot; publish both
/// (ref first, so the display always finds the reference of whatever it decodes). Uncompressed, the source writes
/// straight into the ref slot; compressed, into one scratch frame made at start-up. No managed allocation per frame.
/// </summary>
public sealed class FramePublisher : IDisposable
{
    private readonly IFrameSource _source;
    private readonly FrameWriter _raw;
    private readonly FrameWriter _reference;
    private readonly FramePacer _pacer;
    private readonly TimestampContinuity _timestamps;
    private readonly FrameCompressor? _compressor;
    private readonly FrameLayout _layout;
    private readonly int _frameBytes;
    private readonly long _durationNs;
    private readonly TimeSpan _frameInterval;
    private readonly byte[] _scratch; // the frame when compressing, or when there is no ref slot

    private readonly long _firstFrameId;
    private readonly long _ptsOffsetNs;

    /// <param name="resumeAfter">
    /// The newest frame already in the rings when this process took them over after a restart: ids and timestamps go on
    /// from it, so the frames after a restart are newer than those before it for every kernel downstream.
    /// </param>
    public FramePublisher(IFrameSource source, FrameWriter raw, FrameWriter reference, FramePacer pacer, RefCompression refCompression,
        (long FrameId, long PtsNs, long DurationNs)? resumeAfter = null)
    {
        _firstFrameId = resumeAfter is { } last ? last.FrameId + 1 : 0;
        _ptsOffsetNs = resumeAfter is { } previous ? previous.PtsNs + previous.DurationNs : 0;
        _source = source;
        _raw = raw;
        _reference = reference;
        _pacer = pacer;
        _layout = source.Layout;
        _frameBytes = _layout.FrameSize;
        _durationNs = (long)(1e9 / Math.Max(1.0, source.Fps));
        _frameInterval = TimeSpan.FromSeconds(1.0 / Math.Max(1.0, source.Fps));
        _timestamps = new TimestampContinuity(_durationNs);
        _compressor = refCompression == RefCompression.None ? null : new FrameCompressor(refCompression);
        _scratch = new byte[_frameBytes];
    }

    public long Published { get; private set; }
    public long Dropped { get; private set; }
    /// <summary>Bytes of reference frames before compression, and as stored in the ref ring.</summary>
    public long RefRawBytes { get; private set; }
    public long RefStoredBytes { get; private set; }
    /// <summary>Frames whose compressed form did not fit a slot and were stored as is.</summary>
    public long RefStoredUncompressed { get; private set; }

    /// <summary>Source timestamps that went back or jumped forward by more than <see cref="TimestampContinuity.MaxGapNs"/> (shifted to continue).</summary>
    public long TimestampDiscontinuities => _timestamps.Discontinuities;

    /// <summary>Frames published to <c>raw</c> without a reference: the display's keeper was behind (they go unmeasured, not undelivered).</summary>
    public long RefNotKept { get; private set; }


    /// <summary>Publishes (or drops) the next frame; false at the end of input.</summary>
    public bool Step()
    {
        // Measurement never holds the stream back: without a ref slot the frame still goes to the encoder.
        // A quarter of a frame interval at most: the display's keeper copies slots out as they come, so a full ring
        // means it is starved, and the source must not wait for it.
        var haveRef = _reference.TryClaim(_frameBytes, _frameInterval / 4, out var refSlot);
        Span<byte> frame = haveRef && _compressor is null ? refSlot.Payload : _scratch;
        if (!_source.TryReadFrame(frame, out var info))
        {
            // Nothing to publish: a claimed slot is given up with the ring at close.
            return false;
        }
        info = info with { PtsNs = _timestamps.Next(info.PtsNs) };
        _pacer.WaitUntilDue(info.PtsNs);
        var frameId = _firstFrameId + Published + Dropped;
        var captureNs = MonotonicClock.NowNs;
        if (haveRef)
        {
            Stamp(ref refSlot.Header, info, frameId, captureNs);
            if (_compressor is not null)
            {
                StoreCompressed(ref refSlot, frame);
            }
            RefRawBytes += _frameBytes;
            RefStoredBytes += refSlot.Header.PayloadLength;
        }
        else
        {
            RefNotKept++;
        }
        if (_raw.TryClaim(_frameBytes, _frameInterval, out var rawSlot))
        {
            frame[.._frameBytes].CopyTo(rawSlot.Payload);
            Stamp(ref rawSlot.Header, info, frameId, captureNs);
            PublishReference(haveRef, ref refSlot);
            _raw.Publish(ref rawSlot);
            Published++;
        }
        else
        {
            PublishReference(haveRef, ref refSlot);
            Dropped++;
        }
        return true;
    }

    /// <summary>The ref slot goes out before the raw one, so the display always finds the reference of what it decodes.</summary>
    private void PublishReference(bool haveRef, ref FrameSlot refSlot)
    {
        if (haveRef)
        {
            _reference.Publish(ref refSlot);
        }
    }

    private void StoreCompressed(ref FrameSlot refSlot, ReadOnlySpan<byte> frame)
    {
        var n = _compressor!.Compress(frame, refSlot.Payload);
        if (n > 0)
        {
            RefSlotCompression.Mark(ref refSlot.Header, _compressor.Codec, n);
        }
        else
        {
            frame.CopyTo(refSlot.Payload);
            RefSlotCompression.Mark(ref refSlot.Header, RefCompression.None, _frameBytes);
            RefStoredUncompressed++;
        }
    }

    private void Stamp(ref SlotHeader header, SourceFrameInfo info, long frameId, long captureNs)
    {
        header.FrameId = frameId;
        header.CaptureTimeNs = captureNs;
        header.PtsNs = _ptsOffsetNs + info.PtsNs;
        header.DurationNs = _durationNs;
        header.SetLayout(_layout);
        header.Codec = VideoCodec.None;
        header.PayloadLength = _frameBytes;
        header.Flags = info.SceneCut ? SlotFlags.SceneCut : SlotFlags.None;
        var color = _source.Color;
        header.ColorRange = (byte)color.Range;
        header.ColorPrimaries = (byte)color.Primaries;
        header.ColorTransfer = (byte)color.Transfer;
        header.ColorMatrix = (byte)color.Matrix;
    }

    public void Dispose() => _compressor?.Dispose();
}
