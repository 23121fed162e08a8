using System.Diagnostics;
using System.Net;
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
/// encoder every 100 ms; a keyframe request from the receiver becomes a ForceKeyframe command.
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
        var impairment = _settings.Net is { } spec ? ParseImpairment(spec) : null;
        var fecPolicy = FecPolicyFor(_settings.Fec);
        var key = _settings.KeyFile is { } keyFile ? SessionKeys.Load(keyFile) : DatagramSealer.NewKey();
        var sessionId = SessionKeys.IdOf(session);

        using var control = ControlPlane.Start(session, KernelRole.Network, ControlOptions());
        control.Subscribe<Command>(command =>
        {
            if (command.Kind == CommandKind.Stop)
            {
                lifetime.RequestStop("stop command");
            }
        });
        using var enc = FrameReader.Attach(session, "enc", ConsumerPolicy.Reliable, "network", _settings.Context.AttachTimeout);
        using var rx = FrameWriter.Create(session, "rx", new RingOptions(_settings.RxSlots, _settings.RxSlotSize));
        using var coder = ErasureCoder.Create(message => Console.Error.WriteLine($"kernel-network: {message}"));
        using var senderCoder = ErasureCoder.Create();
        var parity = fecPolicy is null ? null : new AdaptiveParity(fecPolicy);
        var active = new Stopwatch();
        SenderSide? sender = null;
        ReceiverSide? receiver = null;
        try
        {
            receiver = new ReceiverSide(key, sessionId, _settings.Encrypt, new IPEndPoint(IPAddress.Loopback, _settings.ListenPort), coder, rx,
                new ReassemblerOptions { MaxFrameLength = _settings.RxSlotSize, FrameDeadlineUs = (long)_settings.FrameDeadline.TotalMicroseconds });
            receiver.Start();
            // Coders are single-threaded: the send side gets its own.
            sender = new SenderSide(key, sessionId, _settings.Encrypt, receiver.LocalEndpoint, senderCoder, parity ?? new AdaptiveParity(new NoParity()), emulator: impairment,
                new SenderOptions { FrameDeadlineUs = (long)_settings.FrameDeadline.TotalMicroseconds });
            Console.Error.WriteLine($"kernel-network: {coder.Engine} FEC ({_settings.Fec}), UDP loopback -> {receiver.LocalEndpoint}{(impairment is null ? "" : $", impairment {_settings.Net}")}");
            if (!rx.WaitForConsumers(1, _settings.Context.AttachTimeout, lifetime.Stopping) && !lifetime.IsStopping)
            {
                Console.Error.WriteLine($"kernel-network: no consumer attached to the rx ring within {_settings.Context.AttachTimeout.TotalSeconds:F0} s; sending anyway");
            }
            var lastStats = Stopwatch.StartNew();
            while (true)
            {
                control.Poll(TimeSpan.Zero);
                if (lastStats.Elapsed >= StatsInterval)
                {
                    lastStats.Restart();
                    control.Publish(Stats(sender, receiver));
                }
                if (sender.TakeKeyframeRequest())
                {
                    control.Publish(new Command { Kind = CommandKind.ForceKeyframe, Target = KernelRole.Encode });
                }
                var status = enc.TryRead(TimeSpan.FromMilliseconds(20), out var slot);
                if (status == ReadStatus.Closed)
                {
                    break;
                }
                if (status == ReadStatus.Timeout)
                {
                    if (lifetime.IsStopping)
                    {
                        break;
                    }
                    continue;
                }
                active.Start();
                ref var header = ref slot.Header;
                sender.SendFrame(slot.Payload[..header.PayloadLength], (uint)header.FrameId, (byte)header.Codec, (header.Flags & SlotFlags.Keyframe) != 0);
                enc.Release();
            }
            // End of stream: let what is in flight arrive before closing rx.
            sender.Drain(TimeSpan.FromSeconds(2));
            receiver.WaitQuiet(TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(2));
            control.Publish(Stats(sender, receiver));
        }
        finally
        {
            active.Stop();
            receiver?.Dispose();
            sender?.Dispose();
            rx.Close();
        }
        var reassembly = receiver!.Reassembly;
        KernelSummary.Print("kernel-network", new Dictionary<string, object?>
        {
            ["fec_engine"] = coder.Engine,
            ["fec_policy"] = _settings.Fec,
            ["impairment"] = _settings.Net,
            ["frames_sent"] = sender!.FramesSent,
            ["frames_refused"] = sender.FramesRefused,
            ["packets_sent"] = sender.PacketsSent,
            ["parity_packets_sent"] = sender.ParityPacketsSent,
            ["bytes_sent"] = sender.BytesSent,
            ["packets_dropped_by_emulator"] = sender.PacketsDroppedByEmulator,
            ["frames_received"] = receiver.FramesReceived,
            ["frames_recovered"] = reassembly.FramesRecovered,
            ["frames_lost"] = reassembly.FramesLost,
            ["frames_dropped_rx_full"] = receiver.FramesDroppedRxFull,
            ["keyframe_requests"] = receiver.KeyframeRequests,
            ["datagrams_dropped"] = receiver.DatagramDrops.Total + sender.FeedbackDropped,
            ["retransmissions"] = sender.Retransmissions,
            ["nacks_declined"] = sender.NacksDeclined,
            ["feedback_reports"] = sender.FeedbackReports,
            ["estimated_bandwidth_bps"] = sender.Estimate.EstimateBps,
            ["active_s"] = active.Elapsed.TotalSeconds,
        });
        return 0;
    }

    private static NetworkStats Stats(SenderSide sender, ReceiverSide receiver)
    {
        var (estimate, link, acked) = sender.Estimate;
        var reassembly = receiver.Reassembly;
        var dataPackets = Math.Max(1, sender.PacketsSent - sender.ParityPacketsSent);
        return new NetworkStats
        {
            TimestampNs = MonotonicClock.NowNs,
            EstimatedBandwidthBps = estimate,
            SendRateBps = acked ?? 0,
            LossRate = link.LossRate,
            JitterMs = link.JitterMs,
            RttMs = link.RttMs,
            FecParityRatio = (double)sender.ParityPacketsSent / dataPackets,
            PacketsSent = sender.PacketsSent,
            PacketsReceived = receiver.DatagramsAccepted,
            PacketsLost = receiver.PacketsLost,
            PacketsRecovered = reassembly.ShardsRecovered,
            Retransmissions = sender.Retransmissions,
            FramesSent = sender.FramesSent,
            FramesReceived = receiver.FramesReceived,
            FramesLost = reassembly.FramesLost,
            DroppedDatagrams = receiver.DatagramDrops.Total + sender.FeedbackDropped,
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
