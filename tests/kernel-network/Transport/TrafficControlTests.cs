using System.Diagnostics;
using System.Globalization;
using Aqs.Kernel.Network.Transport;

namespace Aqs.Kernel.Network.Tests.Transport;

/// <summary>
/// Kernel A across a real Linux link, outside our own emulator: two network namespaces joined by a veth pair
/// (addresses exist only inside them), the sender's direction shaped by traffic control, sender and receiver
/// as separate processes, one in each namespace. Needs root (or CAP_NET_ADMIN), <c>ip</c> and <c>tc</c>.
/// </summary>
[NonParallelizable]
public class TrafficControlTests : TransportTestSession
{
    private const double LinkBps = 4_000_000;
    private string _suffix = "";
    private string _dir = "";
    private readonly List<string> _namespaces = [];

    private string SenderNs => "aqsA" + _suffix;
    private string ReceiverNs => "aqsB" + _suffix;
    private string SenderDev => "vqa" + _suffix;
    private string ReceiverDev => "vqb" + _suffix;

    [SetUp]
    public void Names()
    {
        _suffix = Guid.NewGuid().ToString("N")[..6];
        _dir = Directory.CreateTempSubdirectory("aqs-netns").FullName;
    }

    [TearDown]
    public void RemoveNamespaces()
    {
        // Deleting a namespace destroys the veth end inside it, and with it the pair.
        foreach (var ns in _namespaces)
        {
            Tool("ip", "netns", "del", ns);
        }
        _namespaces.Clear();
        Directory.Delete(_dir, recursive: true);
    }

    /// <param name="emulatedLoss">
    /// Random loss from our own emulator in front of the real link, with adaptive FEC: stands in for netem's loss
    /// where the kernel lacks it, so FEC recovery is seen across the real shaped link too.
    /// </param>
    [TestCase(null)]
    [TestCase("loss:3%")]
    [CancelAfter(90_000)]
    public void Bandwidth_estimate_follows_a_tbf_rate_limit_between_two_namespaces(string? emulatedLoss)
    {
        if (!OnPath("ip") || !OnPath("tc"))
        {
            Assert.Ignore("ip or tc (iproute2) is not installed");
        }
        var (created, why) = Tool("ip", "netns", "add", SenderNs);
        if (created != 0)
        {
            Assert.Ignore($"ip netns add is not permitted here: {why.Trim()}");
        }
        _namespaces.Add(SenderNs);
        Must("ip", "netns", "add", ReceiverNs);
        _namespaces.Add(ReceiverNs);
        Must("ip", "link", "add", SenderDev, "type", "veth", "peer", "name", ReceiverDev);
        Must("ip", "link", "set", SenderDev, "netns", SenderNs);
        Must("ip", "link", "set", ReceiverDev, "netns", ReceiverNs);
        Must("ip", "-n", SenderNs, "addr", "add", "192.168.77.1/24", "dev", SenderDev);
        Must("ip", "-n", ReceiverNs, "addr", "add", "192.168.77.2/24", "dev", ReceiverDev);
        foreach (var (ns, dev) in new[] { (SenderNs, SenderDev), (ReceiverNs, ReceiverDev) })
        {
            Must("ip", "-n", ns, "link", "set", dev, "up");
            Must("ip", "-n", ns, "link", "set", "lo", "up");
        }
        // 4 Mbit/s with a queue of 50 ms, on the media direction only (feedback goes back unshaped).
        Must("tc", "-n", SenderNs, "qdisc", "add", "dev", SenderDev, "root", "tbf", "rate", "4mbit", "burst", "32kbit", "latency", "50ms");
        // netem (delay on the feedback path) where the kernel has it; these machines usually do not.
        var (netem, netemWhy) = Tool("tc", "-n", ReceiverNs, "qdisc", "add", "dev", ReceiverDev, "root", "netem", "delay", "20ms");
        TestContext.Out.WriteLine(netem == 0 ? "netem: 20 ms delay on the feedback path" : $"netem: skipped (no delay/loss emulation in the kernel: {netemWhy.Trim()}); tbf rate limit only");

        var keyFile = Path.Combine(_dir, "session.key");
        SessionKeys.CreateFile(keyFile);
        using var receiver = new PeerProcess("net-receive", [$"session={Session}", $"key={keyFile}", "listen=47077", "seconds=30", "idle-ms=1500", "encrypt=1"], ReceiverNs);
        Assert.That(receiver.WaitForLine("listening", TimeSpan.FromSeconds(20)), Is.Not.Null, receiver.Errors);
        // An encoder that would like 8 Mbit/s but keeps to the estimate, for 8 s.
        string[] senderArgs = [$"session={Session}", $"key={keyFile}", "peer=192.168.77.2:47077", "seconds=8", "demand-bps=8000000"];
        if (emulatedLoss is not null)
        {
            senderArgs = [.. senderArgs, $"net={emulatedLoss}", "fec=adaptive"];
        }
        using var sender = new PeerProcess("net-send", senderArgs, SenderNs);
        Assert.That(sender.WaitForExit(TimeSpan.FromSeconds(40)), Is.Zero, sender.Errors);
        var (_, qdisc) = Tool("tc", "-n", SenderNs, "-s", "qdisc", "show", "dev", SenderDev);
        receiver.WaitForExit(TimeSpan.FromSeconds(40));
        var received = receiver.Lines.FirstOrDefault(l => l.StartsWith("received", StringComparison.Ordinal));
        var sent = sender.Lines.First(l => l.StartsWith("sent", StringComparison.Ordinal));
        var estimates = sender.Lines.Where(l => l.StartsWith("estimate", StringComparison.Ordinal)).Select(PeerProcess.Fields)
            .Select(f => (Ms: long.Parse(f["t_ms"], CultureInfo.InvariantCulture), Bps: double.Parse(f["bps"], CultureInfo.InvariantCulture))).ToList();
        var late = estimates.Where(e => e.Ms >= 5_000).Select(e => e.Bps).ToList();
        TestContext.Out.WriteLine($"estimates (t ms: Mbit/s): {string.Join(", ", estimates.Select(e => $"{e.Ms}: {e.Bps / 1e6:F2}"))}");
        TestContext.Out.WriteLine($"{sent}\n{received}\n{qdisc.Trim()}");

        Assert.That(received, Is.Not.Null, receiver.Errors);
        var rx = PeerProcess.Fields(received!);
        var tx = PeerProcess.Fields(sent);
        Assert.That(qdisc, Does.Match(@"overlimits [1-9]"), "the offered load reached the rate limit");
        Assert.That(late, Is.Not.Empty);
        Assert.That(late.Average(), Is.InRange(0.5 * LinkBps, 1.2 * LinkBps), "after 5 s the estimate sits at the 4 Mbit/s limit, not at the 8 Mbit/s demand");
        Assert.That(late.Max(), Is.LessThan(1.5 * LinkBps));
        Assert.That(int.Parse(rx["frames"]), Is.GreaterThanOrEqualTo(int.Parse(tx["frames"]) * 9 / 10), "frames arrive across the shaped link");
        Assert.That(rx["verified"], Is.EqualTo(rx["frames"]), "byte for byte");
        if (emulatedLoss is not null)
        {
            Assert.That(int.Parse(rx["recovered"]), Is.GreaterThan(0), "FEC repairs frames hit by the random loss");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/sbin")
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static void Must(params string[] args)
    {
        var (code, output) = Tool(args);
        Assert.That(code, Is.Zero, $"{string.Join(' ', args)}: {output}");
    }

    private static (int Code, string Output) Tool(params string[] args)
    {
        var info = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args[1..])
        {
            info.ArgumentList.Add(a);
        }
        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
