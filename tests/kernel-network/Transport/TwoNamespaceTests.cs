using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aqs.Kernel.Network.Transport;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Tests.Transport;

/// <summary>
/// The README's split roles, as a user runs them on two hosts: <c>kernel-network --role send --peer HOST:PORT
/// --key-file F</c> in one network namespace and <c>--role receive --listen PORT --key-file F</c> in another, joined
/// by a veth pair, each a real kernel-network process. The test plays Kernel C (writes the enc ring) and Kernel D
/// (reads the rx ring). Needs root (or CAP_NET_ADMIN) and <c>ip</c>; skips with the reason otherwise.
/// </summary>
[NonParallelizable]
public class TwoNamespaceTests : TransportTestSession
{
    private const int Port = 47079;
    private NamespaceLink? _link;
    private string _dir = "";

    [SetUp]
    public void MakeLink()
    {
        _dir = Directory.CreateTempSubdirectory("aqs-2ns").FullName;
        var (link, why) = NamespaceLink.TryCreate("192.168.79");
        if (link is null)
        {
            Assert.Ignore(why);
        }
        _link = link;
    }

    [TearDown]
    public void RemoveLink()
    {
        _link?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    [CancelAfter(90_000)]
    public void Send_and_receive_roles_in_two_namespaces_deliver_every_frame_byte_for_byte()
    {
        const int frames = 60;
        var key = Path.Combine(_dir, "session.key");
        SessionKeys.CreateFile(key);
        using var receiver = Kernel(_link!.ReceiverNs, "--role", "receive", "--listen", Port.ToString(CultureInfo.InvariantCulture), "--key-file", key);
        using var rx = FrameReader.Attach(Session, "rx", ConsumerPolicy.Reliable, "test-display", TimeSpan.FromSeconds(20));
        using var enc = FrameWriter.Create(Session, "enc", new RingOptions(64, 64 * 1024));
        using var sender = Kernel(_link.SenderNs, "--role", "send", "--peer", $"{_link.ReceiverAddress}:{Port}", "--key-file", key);
        Assert.That(enc.WaitForConsumers(1, TimeSpan.FromSeconds(20), CancellationToken.None), Is.True, "the send side attached to enc");

        var sent = Enumerable.Range(0, frames).Select(i => MakeFrame(i, 500 + i * 997 % 30_000)).ToArray();
        var reading = Task.Run(() => Read(rx, frames, TimeSpan.FromSeconds(30)));
        // 3 s of frames: the receiver's 50 ms feedback has time to cross back even on a busy machine.
        for (var i = 0; i < frames; i++)
        {
            Publish(enc, i, sent[i]);
            Thread.Sleep(50);
        }
        enc.Close();
        var received = reading.Result;
        var senderSummary = sender.Summary(TimeSpan.FromSeconds(20));
        receiver.Terminate();
        var receiverSummary = receiver.Summary(TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(received.Keys, Is.EqualTo(Enumerable.Range(0, frames).Select(i => (long)i)), "every frame, in order");
            foreach (var (id, bytes) in received)
            {
                Assert.That(bytes, Is.EqualTo(sent[id]), $"frame {id} byte for byte");
            }
            Assert.That(sender.Errors, Does.Contain("role send").And.Contain("encrypted"), "a peer off this host gets encrypted payloads");
            Assert.That(senderSummary.GetProperty("frames_sent").GetInt64(), Is.EqualTo(frames));
            Assert.That(receiverSummary.GetProperty("role").GetString(), Is.EqualTo("receive"));
            Assert.That(receiverSummary.GetProperty("frames_received").GetInt64(), Is.EqualTo(frames));
            Assert.That(receiverSummary.GetProperty("frames_lost").GetInt64(), Is.Zero);
            Assert.That(receiverSummary.GetProperty("datagrams_dropped").GetInt64(), Is.Zero);
            Assert.That(senderSummary.GetProperty("feedback_reports").GetInt64(), Is.GreaterThan(0), "feedback crossed back from the receiving namespace");
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public void A_sender_with_another_key_file_is_dropped_and_counted_never_delivered()
    {
        const int frames = 10;
        var key = Path.Combine(_dir, "session.key");
        var stranger = Path.Combine(_dir, "stranger.key");
        SessionKeys.CreateFile(key);
        SessionKeys.CreateFile(stranger);
        using var receiver = Kernel(_link!.ReceiverNs, "--role", "receive", "--listen", Port.ToString(CultureInfo.InvariantCulture), "--key-file", key);
        using var rx = FrameReader.Attach(Session, "rx", ConsumerPolicy.Reliable, "test-display", TimeSpan.FromSeconds(20));
        using var enc = FrameWriter.Create(Session, "enc", new RingOptions(64, 64 * 1024));
        using var sender = Kernel(_link.SenderNs, "--role", "send", "--peer", $"{_link.ReceiverAddress}:{Port}", "--key-file", stranger);
        Assert.That(enc.WaitForConsumers(1, TimeSpan.FromSeconds(20), CancellationToken.None), Is.True);
        for (var i = 0; i < frames; i++)
        {
            Publish(enc, i, MakeFrame(i, 4000));
            Thread.Sleep(20);
        }
        enc.Close();
        sender.Summary(TimeSpan.FromSeconds(20));
        var received = Read(rx, 1, TimeSpan.FromSeconds(1));
        receiver.Terminate();
        var receiverSummary = receiver.Summary(TimeSpan.FromSeconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(received, Is.Empty, "nothing reaches the rx ring");
            Assert.That(receiverSummary.GetProperty("frames_received").GetInt64(), Is.Zero);
            Assert.That(receiverSummary.GetProperty("datagrams_dropped").GetInt64(), Is.GreaterThanOrEqualTo(frames), "each stranger's datagram counted");
        });
    }

    private KernelNetwork Kernel(string netns, params string[] args) =>
        new(netns, ["--session", Session, "--attach-timeout", "20s", .. args]);

    private static void Publish(FrameWriter enc, int id, byte[] payload)
    {
        Assert.That(enc.TryClaim(payload.Length, TimeSpan.FromSeconds(10), out var slot), Is.True, "enc slot");
        payload.CopyTo(slot.Payload);
        slot.Header.FrameId = id;
        slot.Header.Codec = VideoCodec.H264;
        slot.Header.Flags = id % 10 == 0 ? SlotFlags.Keyframe : SlotFlags.None;
        enc.Publish(ref slot);
    }

    private static SortedDictionary<long, byte[]> Read(FrameReader rx, int frames, TimeSpan timeout)
    {
        var received = new SortedDictionary<long, byte[]>();
        var clock = Stopwatch.StartNew();
        while (received.Count < frames && clock.Elapsed < timeout)
        {
            if (rx.TryRead(TimeSpan.FromMilliseconds(50), out var slot) != ReadStatus.Frame)
            {
                continue;
            }
            received[slot.Header.FrameId] = slot.Payload[..slot.Header.PayloadLength].ToArray();
            rx.Release();
        }
        return received;
    }

    /// <summary>A kernel-network process inside a namespace; its last stdout line is the summary.</summary>
    private sealed class KernelNetwork : IDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        public KernelNetwork(string netns, IEnumerable<string> args)
        {
            var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])["netns", "exec", netns, "dotnet", Path.Combine(TestContext.CurrentContext.TestDirectory, "kernel-network.dll"), .. args])
            {
                info.ArgumentList.Add(a);
            }
            _process = Process.Start(info)!;
            _stdout = _process.StandardOutput.ReadToEndAsync();
            _stderr = _process.StandardError.ReadToEndAsync();
        }

        public string Errors => _stderr.IsCompleted ? _stderr.Result : "(still running)";

        /// <summary>SIGTERM: how a user stops a receive side (<c>ip netns exec</c> execs dotnet in place).</summary>
        public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

        public JsonElement Summary(TimeSpan timeout)
        {
            Assert.That(_process.WaitForExit(timeout), Is.True, "kernel-network exits");
            Assert.That(_process.ExitCode, Is.Zero, _stderr.Result);
            var line = _stdout.Result.Split('\n').LastOrDefault(l => l.StartsWith("AQS-SUMMARY ", StringComparison.Ordinal));
            Assert.That(line, Is.Not.Null, $"summary line; stderr: {_stderr.Result}");
            return JsonDocument.Parse(line!["AQS-SUMMARY ".Length..]).RootElement.Clone();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
