using System.Collections.Concurrent;
using Aqs.Engine;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Kernel.Encode.Encoding;

/// <summary>
/// Kernel C's encoders, one per (rung, preset) in use or opened ahead: the engine names the current rung's
/// neighbours and they are opened on a worker thread, so a switch finds its encoder ready instead of stalling the
/// loop for an x264 open. Each rung has a libswscale scaler from the source layout (size and bit depth). A switch
/// starts the new encoder with a keyframe; bitrate moves reach the open encoder live (x264 reconfig). Encoders not
/// used for a while are closed. The loop thread calls everything but the ahead-of-time opens.
/// </summary>
public sealed class RungEncoders : IDisposable
{
    private const int MaxOpen = 4;
    private readonly Func<EncoderKey, EncoderSettings> _settingsFor;
    private readonly FrameLayout _source;
    private readonly Dictionary<EncoderKey, VideoEncoder> _open = [];
    private readonly ConcurrentDictionary<EncoderKey, Task<VideoEncoder>> _opening = new();
    private readonly Dictionary<FrameLayout, (VideoScaler Scaler, byte[] Buffer)> _scalers = [];
    private readonly LinkedList<EncoderKey> _recent = new();
    private readonly Action<string> _log;
    private readonly (bool FromFull, bool ToFull)? _range;

    /// <param name="settingsFor">The libavcodec settings of an encoder for a key (size, rate, depth, preset, colour).</param>
    /// <param name="range">A sample-range conversion every picture needs before encoding (see <see cref="EncodedRange"/>), or null.</param>
    public RungEncoders(FrameLayout source, Func<EncoderKey, EncoderSettings> settingsFor, Action<string> log, (bool FromFull, bool ToFull)? range = null)
    {
        _range = range;
        _source = source;
        _settingsFor = settingsFor;
        _log = log;
    }

    public EncoderKey? CurrentKey { get; private set; }
    public VideoEncoder? Current => CurrentKey is { } key ? _open[key] : null;
    public long Switches { get; private set; }
    /// <summary>Switches whose encoder was not ready (opened in the loop, a stall).</summary>
    public long ColdSwitches { get; private set; }

    /// <summary>The layout a rung's pictures have: the rung's size, the source's chroma, the rung's depth.</summary>
    public FrameLayout LayoutOf(Rung rung) => LayoutOf(_source, rung);

    public static FrameLayout LayoutOf(FrameLayout source, Rung rung) =>
        new(rung.Width, rung.Height, PixelFormats.From(source.Format.Chroma(), rung.BitDepth));

    /// <summary>Starts opening encoders for <paramref name="keys"/> in the background (those not open or opening).</summary>
    public void OpenAhead(IReadOnlyCollection<EncoderKey> keys)
    {
        // Encoders opened ahead for rungs that are no longer neighbours are closed once they are ready.
        foreach (var (stale, task) in _opening)
        {
            if (!keys.Contains(stale) && task.IsCompleted && _opening.TryRemove(stale, out _))
            {
                if (task.IsCompletedSuccessfully)
                {
                    task.Result.Dispose();
                }
            }
        }
        foreach (var key in keys)
        {
            if (!_open.ContainsKey(key) && !_opening.ContainsKey(key))
            {
                var settings = _settingsFor(key);
                _opening[key] = Task.Run(() => VideoEncoder.Open(settings));
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="source"/> to the encoder of <paramref name="key"/> at <paramref name="bitrateBps"/>,
    /// switching (with a keyframe) when the key changed; returns whether it switched. Take the packets from
    /// <see cref="Current"/> with TryReceive afterwards.
    /// </summary>
    public bool Send(in PlanarFrame source, EncoderKey key, long bitrateBps, long pts, bool keyframe)
    {
        var switched = CurrentKey != key;
        if (switched)
        {
            Activate(key);
        }
        var encoder = _open[key];
        if (encoder.SupportsLiveBitrate && Math.Abs(bitrateBps - encoder.Settings.BitrateBps) > 0.03 * encoder.Settings.BitrateBps)
        {
            encoder.SetBitrate(Math.Max(10_000, bitrateBps));
        }
        var layout = LayoutOf(key.Rung);
        if (layout == _source && _range is null)
        {
            encoder.Send(source, pts, keyframe || switched);
        }
        else
        {
            var (scaler, buffer) = ScalerFor(layout);
            scaler.Scale(source, buffer);
            encoder.Send(PlanarFrame.FromPacked(layout, buffer), pts, keyframe || switched);
        }
        return switched;
    }

    private void Activate(EncoderKey key)
    {
        if (!_open.ContainsKey(key))
        {
            // The first encoder is opened in the loop by design; a switch that has to is a cold one.
            var first = CurrentKey is null;
            if (_opening.TryRemove(key, out var pending))
            {
                ColdSwitches += pending.IsCompleted || first ? 0 : 1;
                _open[key] = pending.GetAwaiter().GetResult();
            }
            else
            {
                ColdSwitches += first ? 0 : 1;
                _open[key] = VideoEncoder.Open(_settingsFor(key));
            }
        }
        if (CurrentKey is not null)
        {
            Switches++;
        }
        CurrentKey = key;
        _recent.Remove(key);
        _recent.AddFirst(key);
        while (_recent.Count > MaxOpen)
        {
            var old = _recent.Last!.Value;
            _recent.RemoveLast();
            if (_open.Remove(old, out var encoder))
            {
                encoder.Dispose();
            }
        }
    }

    private (VideoScaler Scaler, byte[] Buffer) ScalerFor(FrameLayout layout)
    {
        if (!_scalers.TryGetValue(layout, out var entry))
        {
            var scaler = _range is { } r
                ? new VideoScaler(_source, layout, ScaleQuality.Bilinear, r.FromFull, r.ToFull)
                : new VideoScaler(_source, layout, ScaleQuality.Bilinear);
            entry = (scaler, new byte[layout.FrameSize]);
            _scalers[layout] = entry;
            _log(_range is { } c
                ? $"scaler {_source} -> {layout}, {(c.FromFull ? "full" : "limited")} range -> {(c.ToFull ? "full" : "limited")}"
                : $"scaler {_source} -> {layout}");
        }
        return entry;
    }

    /// <summary>Ends the current encoder's stream (its last packets come out of <see cref="Current"/>).</summary>
    public void Flush() => Current?.Flush();

    public void Dispose()
    {
        foreach (var encoder in _open.Values)
        {
            encoder.Dispose();
        }
        foreach (var pending in _opening.Values)
        {
            try
            {
                pending.GetAwaiter().GetResult().Dispose();
            }
            catch (Exception)
            {
                // An encoder that failed to open ahead holds nothing to release.
            }
        }
        foreach (var (scaler, _) in _scalers.Values)
        {
            scaler.Dispose();
        }
    }
}
