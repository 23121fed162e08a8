using System.Diagnostics;
using System.Net;
using Aqs.Kernel.Network.Egress;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.FecPolicy;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Aqs.Shared.Kernel;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network;

/// <summary>
/// Kernel A with both sides in one process over loopback UDP: each encoded frame from the enc ring
/// goes out as sealed, FEC-protected datagrams (through the impairment emulator when asked), comes
/// back in on the receive side, and complete frames go to the rx ring. NetworkStats go to the
/// encoder at every receiver feedback report and at least every 100 ms; a keyframe request from the
/// receiver becomes a <see cref="KeyframeRequest"/>.
/// </summary>
public sealed class NetworkKernel
{
    private static readonly TimeSpan StatsInterval = TimeSpan.FromMilliseconds(100);
    private readonly NetworkSettings _settings;

    public NetworkKernel(NetworkSettings settings)
    {
        _settings = settings;
    }

    public int Run(KernelLifetime lifetime)
    {
        var session = _settings.Context.Session;
        var role = _settings.Role;
        var sends = role != NetworkRole.Receive;
        var receives = role != NetworkRole.Send;
        if (role != NetworkRole.Both && _settings.KeyFile is null)
        {
            throw new UserFacingException($"--key-file is required with --role {role.ToString().ToLowerInvariant()}: both sides must hold the same session key", CommandLineHost.ExitUsage);
        }
        if (role == NetworkRole.Send && _settings.Peer is null)
        {
            throw new UserFacingException("--peer host:port is required with --role send", CommandLineHost.ExitUsage);
        }
        var peer = role == NetworkRole.Send ? PeerAddress.Parse(_settings.Peer!) : null;
        var impairment = sends && _settings.Net is { } spec ? ParseImpairment(spec) : null;
        var fecPolicy = FecPolicyFor(_settings.Fec);
        var key = _settings.KeyFile is { } keyFile ? SessionKeys.Load(keyFile) : DatagramSealer.NewKey();
        var sessionId = SessionKeys.IdOf(session);
        // Authentication is always on; payloads are also encrypted towards a peer off this host.
        var encrypt = _settings.Encrypt || (peer is not null && DatagramSealer.ShouldEncrypt(peer.Address));

        using var control = ControlPlane.Start(session, KernelRole.Network, ControlOptions());
        lifetime.PublishHeartbeats(control);
        control.Subscribe<Command>(command =>
        {
            if (command.Kind == CommandKind.Stop)
            {
                lifetime.RequestStop("stop command");
            }
        });
        using var enc = sends ? FrameReader.Attach(session, "enc", ConsumerPolicy.Reliable, "network", _settings.Context.AttachTimeout) : null;
        using var rx = receives ? FrameWriter.Create(session, "rx", new RingOptions(_settings.RxSlots, _settings.RxSlotSize)) : null;
        using var coder = ErasureCoder.Create(message => Console.Error.WriteLine($"kernel-network: {message}"));
        using var senderCoder = ErasureCoder.Create();
        var parity = fecPolicy is null ? null : new AdaptiveParity(fecPolicy);
        // Standard-protocol copies of the stream (--egress): one hand-over per frame, their receivers' reports folded into the stats.
        using var egress = sends && _settings.Egress.Count > 0 ? EgressSet.Start(_settings.Egress, line => Console.Error.WriteLine($"kernel-network: {line}")) : null;
        var active = new Stopwatch();
        var capacityUse = new CapacityUse();
        SenderSide? sender = null;
        ReceiverSide? receiver = null;
        try
        {
            if (receives)
            {
                var listenAddress = role == NetworkRole.Both ? IPAddress.Loopback : IPAddress.Any;
                receiver = new ReceiverSide(key, sessionId, _settings.Encrypt, new IPEndPoint(listenAddress, _settings.ListenPort), coder, rx!,
                    new ReassemblerOptions { MaxFrameLength = _settings.RxSlotSize, FrameDeadlineUs = (long)_settings.FrameDeadline.TotalMicroseconds },
                    estimateClockOffset: role == NetworkRole.Receive);
                receiver.Start();
            }
            if (sends)
            {
                // Coders are single-threaded: the send side gets its own.
                sender = new SenderSide(key, sessionId, encrypt, peer ?? receiver!.LocalEndpoint, senderCoder, parity ?? new AdaptiveParity(new NoParity()), emulator: impairment,
                    new SenderOptions
                    {
                        FrameDeadlineUs = (long)_settings.FrameDeadline.TotalMicroseconds,
                        Pacing = _settings.Pacing,
                        Retransmit = _settings.Retransmit,
                    });
            }
            Console.Error.WriteLine($"kernel-network: role {role.ToString().ToLowerInvariant()}, {coder.Engine} FEC ({_settings.Fec})" +
                (receiver is null ? "" : $", receiving on {receiver.LocalEndpoint}") +
                (peer is null ? "" : $", sending to {peer}{(encrypt ? " encrypted" : "")}") +
                (impairment is null ? "" : $", impairment {_settings.Net}"));
            if (rx is not null && !rx.WaitForConsumers(1, _settings.Context.AttachTimeout, lifetime.Stopping) && !lifetime.IsStopping)
            {
                Console.Error.WriteLine($"kernel-network: no consumer attached to the rx ring within {_settings.Context.AttachTimeout.TotalSeconds:F0} s; {(sends ? "sending" : "receiving")} anyway");
            }
            var lastStats = Stopwatch.StartNew();
            long reportsPublished = 0;
            while (true)
            {
                control.Poll(TimeSpan.Zero);
                // Fresh feedback is what the encoder's frame budget runs on: pass each report on at once.
                var snapshot = sender?.Snapshot();
                if (snapshot is { } used)
                {
                    capacityUse.Sample(MonotonicClock.NowNs, used.SendBps, used.EmulatedCapacityBps);
                }
                var egressReport = egress?.TakeFreshReport() ?? false;
                if (lastStats.Elapsed >= StatsInterval || (snapshot is { } s && s.FeedbackReports != reportsPublished) || egressReport)
                {
                    lastStats.Restart();
                    reportsPublished = snapshot?.FeedbackReports ?? 0;
                    var stats = Stats(snapshot, sender, receiver);
                    control.Publish(egress?.Merge(stats) ?? stats);
                }
                var egressWantsKeyframe = egress?.TakeKeyframeRequest() ?? false;
                if ((sender is not null && sender.TakeKeyframeRequest()) || egressWantsKeyframe)
                {
                    control.Publish(new KeyframeRequest
                    {
                        TimestampNs = MonotonicClock.NowNs,
                        From = KernelRole.Network,
                        Reason = egressWantsKeyframe ? "a standard receiver needs a keyframe" : "receiver lost a frame",
                    });
                }
                if (enc is null)
                {
                    // Receive side only: its own thread does the work; stop on request.
                    if (lifetime.Stopping.WaitHandle.WaitOne(20))
                    {
                        break;
                    }
                    continue;
                }
                var step = enc.Next(lifetime, TimeSpan.FromMilliseconds(20), out var slot);
                if (step == InputStep.End)
                {
                    break;
                }
                if (step == InputStep.Idle)
                {
                    continue;
                }
                active.Start();
                ref var header = ref slot.Header;
                var descriptor = new FrameDescriptor
                {
                    Width = header.Width,
                    Height = header.Height,
                    Format = header.Format,
                    BitDepth = header.BitDepth,
                    DurationUs = header.DurationNs / 1000,
                    CaptureTimeNs = header.CaptureTimeNs,
                    PtsNs = header.PtsNs,
                    Flags = ((header.Flags & SlotFlags.SceneCut) != 0 ? FrameDescriptorFlags.SceneCut : FrameDescriptorFlags.None)
                        | ((header.Flags & SlotFlags.RungSwitch) != 0 ? FrameDescriptorFlags.RungSwitch : FrameDescriptorFlags.None),
                };
                sender!.SendFrame(slot.Payload[..header.PayloadLength], (uint)header.FrameId, (byte)header.Codec, (header.Flags & SlotFlags.Keyframe) != 0, descriptor);
                egress?.Offer(header, slot.Payload[..header.PayloadLength]);
                enc.Release();
            }
            // End of stream: let what is in flight arrive before closing rx.
            sender?.Drain(TimeSpan.FromSeconds(2));
            egress?.Complete(TimeSpan.FromSeconds(2));
            receiver?.WaitQuiet(TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(2));
            control.Publish(Stats(sender?.Snapshot(), sender, receiver));
        }
        finally
        {
            active.Stop();
            receiver?.Dispose();
            sender?.Dispose();
            rx?.Close();
        }
        var summary = new Dictionary<string, object?>
        {
            ["role"] = role.ToString().ToLowerInvariant(),
            ["fec_engine"] = coder.Engine,
            ["fec_policy"] = _settings.Fec,
            ["impairment"] = _settings.Net,
        };
        if (sender is not null)
        {
            summary["frames_sent"] = sender.FramesSent;
            summary["frames_refused"] = sender.FramesRefused;
            summary["packets_sent"] = sender.PacketsSent;
            summary["parity_packets_sent"] = sender.ParityPacketsSent;
            summary["bytes_sent"] = sender.BytesSent;
            summary["packets_dropped_by_emulator"] = sender.PacketsDroppedByEmulator;
            summary["retransmissions"] = sender.Retransmissions;
            summary["nacks_declined"] = sender.NacksDeclined;
            summary["feedback_reports"] = sender.FeedbackReports;
            summary["estimated_bandwidth_bps"] = sender.Estimate.EstimateBps;
            summary["probe_clusters_sent"] = sender.ProbeClustersSent;
            summary["padding_packets_sent"] = sender.PaddingPacketsSent;
            summary["probe_results"] = sender.ProbeResults;
        }
        if (receiver is not null)
        {
            var reassembly = receiver.Reassembly;
            summary["frames_received"] = receiver.FramesReceived;
            summary["frames_recovered"] = reassembly.FramesRecovered;
            summary["frames_lost"] = reassembly.FramesLost;
            summary["frames_dropped_rx_full"] = receiver.FramesDroppedRxFull;
            summary["frames_held_for_order"] = receiver.FramesHeldForOrder;
            summary["frames_malformed"] = receiver.FramesMalformed;
            summary["keyframe_requests"] = receiver.KeyframeRequests;
            summary["padding_received"] = receiver.PaddingReceived;
        }
        egress?.AddTo(summary);
        summary["datagrams_dropped"] = (receiver?.DatagramDrops.Total ?? 0) + (sender?.FeedbackDropped ?? 0);
        if (receiver is not null)
        {
            // Per reason, so an attack's forged, replayed and stranger datagrams can each be accounted for.
            var drops = receiver.DatagramDrops;
            summary["datagrams_accepted"] = receiver.DatagramsAccepted;
            summary["datagrams_dropped_malformed"] = drops.Malformed;
            summary["datagrams_dropped_version"] = drops.UnsupportedVersion;
            summary["datagrams_dropped_wrong_session"] = drops.WrongSession;
            summary["datagrams_dropped_replayed"] = drops.Replayed;
            summary["datagrams_dropped_bad_tag"] = drops.BadTag;
            summary["datagrams_dropped_not_encrypted"] = drops.NotEncrypted;
        }
        if (capacityUse.SecondsMeasured > 0)
        {
            summary["seconds_above_capacity"] = capacityUse.SecondsAboveCapacity;
            summary["seconds_with_capacity"] = capacityUse.SecondsMeasured;
            summary["capacity_bps_mean"] = capacityUse.MeanCapacityBps;
        }
        summary["active_s"] = active.Elapsed.TotalSeconds;
        KernelSummary.Print("kernel-network", summary);
        return 0;
    }

    /// <summary>Stats from whichever sides run here (a lone send side knows the link from feedback only).</summary>
    private static NetworkStats Stats(LinkSnapshot? snapshot, SenderSide? sender, ReceiverSide? receiver)
    {
        var s = snapshot ?? new LinkSnapshot { Link = LinkState.Perfect, EmulatedCapacityBps = double.NaN, AckedSendUs = long.MinValue };
        var reassembly = receiver?.Reassembly ?? default;
        return s.ToNetworkStats(MonotonicClock.NowNs) with
        {
            LossRate = sender is null ? receiver!.LossRate : s.Link.LossRate,
            JitterMs = sender is null ? receiver!.JitterMs : s.Link.JitterMs,
            PacketsSent = sender?.PacketsSent ?? 0,
            PacketsReceived = receiver?.DatagramsAccepted ?? 0,
            PacketsLost = receiver?.PacketsLost ?? 0,
            PacketsRecovered = reassembly.ShardsRecovered,
            Retransmissions = sender?.Retransmissions ?? 0,
            FramesSent = sender?.FramesSent ?? 0,
            FramesReceived = receiver?.FramesReceived ?? 0,
            FramesLost = reassembly.FramesLost,
            DroppedDatagrams = (receiver?.DatagramDrops.Total ?? 0) + (sender?.FeedbackDropped ?? 0),
        };
    }

    private static NetworkEmulator ParseImpairment(string spec)
    {
        if (!ImpairmentSpec.TryParse(spec, out var parsed, out var error))
        {
            throw new UserFacingException($"--net: {error}", CommandLineHost.ExitUsage);
        }
        return NetworkEmulator.FromSpec(parsed, Directory.GetCurrentDirectory());
    }

    private static IFecPolicy? FecPolicyFor(string name) => name switch
    {
        "adaptive" => new ResidualLossFecPolicy(),
        "seed" => new SeedFecPolicy(),
        "off" => null,
        _ => throw new UserFacingException($"--fec: '{name}' is not adaptive, seed or off", CommandLineHost.ExitUsage),
    };

    private ControlPlaneOptions? ControlOptions() =>
        _settings.Context.ControlPort is { } port ? new ControlPlaneOptions(port) : null;

    /// <summary>FEC off: no parity at all.</summary>
    private sealed class NoParity : IFecPolicy
    {
        public int ParityFor(int dataShards, bool keyframe, LinkState state) => 0;
    }
}
