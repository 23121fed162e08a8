using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.FecPolicy;
using Aqs.Kernel.Network.Feedback;
using Aqs.Kernel.Network.Transport;

namespace Aqs.Kernel.Network.Emulation.Simulation;

/// <summary>
/// Kernel A's control loop in simulated time: a 60 fps source whose frame sizes follow the bandwidth
/// estimate (keyframes larger, deltas varying) → k data shards + m parity from the FEC policy → pacer
/// at a multiple of the estimate → <see cref="NetworkEmulator"/> → <see cref="ReceiverStatistics"/> →
/// <see cref="FeedbackReport"/> through <see cref="FeedbackCodec"/> bytes every 50 ms, back over the
/// path's fixed delay → <see cref="GccBandwidthEstimator"/>. A frame is delivered when at least k of its
/// k + m packets arrive (Reed-Solomon's recoverability rule) before its deadline.
/// Deterministic for a given options record; runs 1 ms steps, about 10 s of link per few ms of CPU.
/// </summary>
public sealed class ClosedLoopSimulation
{
    private const long StepUs = 1_000;

    private readonly record struct SimPacket(long Sequence, long SendUs, int Frame, int Size);

    /// <summary>Frame index of a padding probe packet (counted by the receiver, part of no frame).</summary>
    private const int Padding = -1;

    public static ClosedLoopResult Run(ClosedLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var durationUs = (long)(options.DurationSeconds * 1_000_000);
        var frameIntervalUs = 1_000_000L / options.FramesPerSecond;
        var frameCount = (int)(durationUs / frameIntervalUs) + 1;
        var random = new DeterministicRandom(options.Seed);
        var link = new EmulatedLink<SimPacket>(new NetworkEmulator(options.Impairment with { TracePath = null }, options.Trace));
        var bwe = new GccBandwidthEstimator(options.Bwe);
        var receiver = new ReceiverStatistics();
        var report = new FeedbackReport();
        var parsed = new FeedbackReport();
        var feedbackBuffer = new byte[FeedbackCodec.MaxEncodedSize];
        var feedbackInFlight = new Queue<(long DueUs, byte[] Bytes)>();
        var returnDelayUs = options.Impairment.DelayUs;

        var frameCapture = new long[frameCount];
        var frameData = new int[frameCount];
        var frameArrived = new int[frameCount];
        var frameBytes = new int[frameCount];
        var frameKey = new bool[frameCount];
        var frameDone = new bool[frameCount];
        var pacer = new Queue<SimPacket>();
        long pacerBytes = 0;
        long nextSendUs = 0;
        long sequence = 0;
        double overheadEstimate = 0;
        var wireSize = options.ShardBytes + options.HeaderBytes;
        var keyShare = options.KeyframeSizeFactor + options.KeyframeIntervalFrames - 1.0;
        var samples = new List<EstimateSample>();
        long nextSampleUs = 0;
        var nextFrame = 0;
        var probing = false;
        ProbeCluster probe = default;
        int probeSent = 0;
        long probeNextUs = 0, paddingBytes = 0, probeClusters = 0;

        long skipped = 0, framesSent = 0, delivered = 0, late = 0, keySent = 0, keyLost = 0;
        var sender = options.Sender;
        LinkSnapshot? snapshot = null;
        var sendRate = new AckedBitrateEstimator(500_000);
        double parityRatio = 0;
        var ages = new List<double>();
        var ageTimes = new List<long>();
        var presentedCapture = new List<long>();
        var presentedAt = new List<long>();
        var shownFrame = -1;
        long nextRefreshUs = 0;
        long wireAtLastSample = 0;
        long dataPackets = 0, parityPackets = 0, mediaDelivered = 0, wireBytes = 0;

        for (var now = 0L; now <= durationUs; now += StepUs)
        {
            // 1. Capture and packetise frames that are due.
            while (nextFrame < frameCount && nextFrame * frameIntervalUs <= now)
            {
                var f = nextFrame++;
                frameCapture[f] = f * frameIntervalUs;
                var estimate = bwe.EstimateBps;
                bool key;
                int bytes;
                if (sender is not null)
                {
                    var made = sender.Capture(f, now, snapshot);
                    if (made.Bytes <= 0)
                    {
                        skipped++;
                        frameDone[f] = true;
                        continue;
                    }
                    key = made.Keyframe;
                    bytes = made.Bytes;
                }
                else
                {
                    if (pacerBytes * 8.0 * 1_000_000 / (estimate * options.PacingFactor) > options.MaxPacerDelayUs)
                    {
                        skipped++;
                        frameDone[f] = true;
                        continue;
                    }
                    key = f % options.KeyframeIntervalFrames == 0;
                    var mediaBudget = estimate / options.FramesPerSecond / (1 + overheadEstimate) * options.ShardBytes / wireSize / 8;
                    var factor = key ? options.KeyframeSizeFactor : 1 + options.FrameSizeVariation * (random.NextDouble() * 2 - 1);
                    bytes = Math.Max(200, (int)(mediaBudget * factor * options.KeyframeIntervalFrames / keyShare));
                }
                // Kernel A cuts frames into blocks of at most 32 data shards; one block here up to that size, as many as needed beyond.
                var k = Math.Min(254, (bytes + options.ShardBytes - 1) / options.ShardBytes);
                bytes = Math.Min(bytes, k * options.ShardBytes);
                // Shards of one block share a size: the frame split evenly, not padded to the maximum.
                var packetSize = (bytes + k - 1) / k + options.HeaderBytes;
                var m = options.Fec?.ParityFor(k, key, bwe.LinkState) ?? 0;
                m = Math.Clamp(m, 0, 255 - k);
                overheadEstimate = 0.9 * overheadEstimate + 0.1 * ((double)m / k);
                parityRatio += 0.1 * ((double)m / k - parityRatio);
                frameData[f] = k;
                frameBytes[f] = bytes;
                frameKey[f] = key;
                framesSent++;
                keySent += key ? 1 : 0;
                dataPackets += k;
                parityPackets += m;
                for (var i = 0; i < k + m; i++)
                {
                    pacer.Enqueue(new SimPacket(-1, frameCapture[f], f, packetSize));
                    pacerBytes += packetSize;
                }
            }

            // 2. Pacer: send at PacingFactor × estimate, exact µs send times. A probe cluster, when one is due,
            //    takes over: its packets leave at the probe rate, media first, padding when no media waits.
            if (!probing && bwe.TryStartProbe(now, out probe))
            {
                probing = true;
                probeSent = 0;
                probeNextUs = now;
                probeClusters++;
            }
            while (probing && probeNextUs <= now)
            {
                SimPacket packet;
                if (pacer.Count > 0 && pacer.Peek().SendUs <= probeNextUs)
                {
                    packet = pacer.Dequeue();
                    pacerBytes -= packet.Size;
                }
                else
                {
                    packet = new SimPacket(-1, probeNextUs, Padding, probe.PacketBytes);
                    paddingBytes += packet.Size;
                }
                packet = packet with { Sequence = sequence++, SendUs = probeNextUs };
                bwe.OnPacketSent(packet.Sequence, packet.SendUs, packet.Size, probe.Id);
                sendRate.OnAcked(packet.SendUs, packet.Size);
                link.Send(packet, packet.Size, packet.SendUs);
                wireBytes += packet.Size;
                probeNextUs += (long)(packet.Size * 8.0 * 1_000_000 / probe.TargetBps);
                if (++probeSent >= probe.Packets)
                {
                    probing = false;
                    nextSendUs = Math.Max(nextSendUs, probeNextUs);
                }
            }
            var pacingBps = Math.Max(bwe.EstimateBps * options.PacingFactor, 100_000);
            if (options.PacingSpread is { } spread)
            {
                pacingBps = Math.Max(pacingBps, pacerBytes * 8.0 * 1_000_000 / (spread * frameIntervalUs));
            }
            while (!probing && pacer.Count > 0)
            {
                var sendUs = Math.Max(nextSendUs, pacer.Peek().SendUs);
                if (sendUs > now)
                {
                    break;
                }
                var packet = pacer.Dequeue() with { Sequence = sequence++, SendUs = sendUs };
                pacerBytes -= packet.Size;
                nextSendUs = sendUs + (long)(packet.Size * 8.0 * 1_000_000 / pacingBps);
                bwe.OnPacketSent(packet.Sequence, sendUs, packet.Size);
                sendRate.OnAcked(sendUs, packet.Size);
                link.Send(packet, packet.Size, sendUs);
                wireBytes += packet.Size;
            }

            // 3. Receiver: arrivals, frame recovery, feedback.
            while (link.TryReceive(now, out var arrived, out var arrivalUs))
            {
                receiver.OnPacket(arrived.Sequence, arrived.SendUs, arrivalUs);
                var f = arrived.Frame;
                if (f == Padding || frameDone[f])
                {
                    continue;
                }
                frameArrived[f]++;
                if (frameArrived[f] >= frameData[f])
                {
                    frameDone[f] = true;
                    sender?.Delivered(f, arrivalUs);
                    if (f > shownFrame)
                    {
                        // The screen shows the newest frame that arrived whole; an older one arriving later is not shown.
                        shownFrame = f;
                        presentedCapture.Add(frameCapture[f]);
                        presentedAt.Add(arrivalUs);
                    }
                    if (arrivalUs - frameCapture[f] <= options.FrameDeadlineUs)
                    {
                        delivered++;
                        mediaDelivered += frameBytes[f];
                    }
                    else
                    {
                        late++;
                        keyLost += frameKey[f] ? 1 : 0;
                    }
                }
            }
            if (receiver.ReportDue(now))
            {
                bool more;
                do
                {
                    more = receiver.BuildReport(now, report);
                    if (FeedbackCodec.TryWrite(report, feedbackBuffer, out var written))
                    {
                        feedbackInFlight.Enqueue((now + returnDelayUs, feedbackBuffer.AsSpan(0, written).ToArray()));
                    }
                }
                while (more);
            }
            while (feedbackInFlight.Count > 0 && feedbackInFlight.Peek().DueUs <= now)
            {
                if (FeedbackCodec.TryParse(feedbackInFlight.Dequeue().Bytes, parsed))
                {
                    bwe.OnFeedback(parsed, now);
                    var capacityNow = options.Trace is { } t && now >= 1_000_000 ? t.CapacityBitsPerSecond(now / 1000 - 1000, now / 1000) : double.NaN;
                    snapshot = LinkSnapshot.Of(bwe, sendRate.BitsPerSecond ?? 0, capacityNow, parityRatio);
                }
            }

            while (now >= nextRefreshUs)
            {
                // A fixed refresh grid (60 Hz by default), sampled from the first delivered frame on.
                if (shownFrame >= 0)
                {
                    ages.Add((nextRefreshUs - frameCapture[shownFrame]) / 1000.0);
                    ageTimes.Add(nextRefreshUs);
                }
                nextRefreshUs += options.DisplayRefreshUs;
            }
            if (now >= nextSampleUs)
            {
                var sentBps = (wireBytes - wireAtLastSample) * 8.0 * 1_000_000 / options.SampleIntervalUs;
                wireAtLastSample = wireBytes;
                nextSampleUs += options.SampleIntervalUs;
                var capacity = options.Trace is { } trace && now >= 1_000_000
                    ? trace.CapacityBitsPerSecond(now / 1000 - 1000, now / 1000)
                    : double.NaN;
                samples.Add(new EstimateSample(now, bwe.EstimateBps, capacity, bwe.AckedBps ?? double.NaN, bwe.DelayBasedBps, bwe.LossBasedBps, bwe.Rtt.SmoothedUs / 1000)
                {
                    SentBps = sentBps,
                });
            }
        }

        // Frames never completed: unrecoverable (or still in flight at the end, which we do not count).
        long unrecoverable = 0;
        for (var f = 0; f < nextFrame; f++)
        {
            if (!frameDone[f] && frameCapture[f] + options.FrameDeadlineUs <= durationUs)
            {
                unrecoverable++;
                keyLost += frameKey[f] ? 1 : 0;
            }
            else if (!frameDone[f])
            {
                framesSent--;
            }
        }

        var emulator = link.Emulator;
        return new ClosedLoopResult
        {
            Samples = samples,
            DurationSeconds = options.DurationSeconds,
            FramesCaptured = nextFrame,
            FramesSkipped = skipped,
            FramesSent = framesSent,
            FramesDelivered = delivered,
            FramesUnrecoverable = unrecoverable,
            FramesLate = late,
            KeyframesSent = keySent,
            KeyframesLost = keyLost,
            DataPackets = dataPackets,
            ParityPackets = parityPackets,
            PacketsLost = emulator.DroppedQueueFull + emulator.DroppedRandom + emulator.DroppedBurst,
            MediaBytesDelivered = mediaDelivered,
            WireBytesSent = wireBytes,
            PaddingBytesSent = paddingBytes,
            ProbeClusters = probeClusters,
            DisplayAgesMs = ages,
            DisplayAgeTimesUs = ageTimes,
            PresentedCaptureUs = presentedCapture,
            PresentedAtUs = presentedAt,
        };
    }
}
