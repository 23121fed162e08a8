using System.Diagnostics;
using System.Text.RegularExpressions;
using Aqs.Orchestration.Run;

namespace Aqs.Orchestration.Attack;

/// <summary>What a live attack does.</summary>
public sealed record AttackOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(25);
    /// <summary>Datagrams of each <see cref="DatagramAttackKind"/> sent.</summary>
    public int DatagramsPerKind { get; init; } = 300;
    /// <summary>Forged and garbage messages sent to the command socket.</summary>
    public int CommandMessages { get; init; } = 40;
    public int Seed { get; init; } = 16;
    public string RunsDirectory { get; init; } = "runs";
}

/// <summary>What the attacker did, and the run it did it to.</summary>
public sealed record AttackVerdict(
    RunResult Run,
    IReadOnlyDictionary<DatagramAttackKind, long> DatagramsSent,
    int CommandMessagesSent,
    int CommandMessagesAnsweredOk,
    int CommandsRefusedByLauncher,
    int PublisherGarbageConnections,
    int GenuineDatagramsCaptured,
    string? Problem)
{
    public long DatagramsSentTotal => DatagramsSent.Values.Sum();
}

/// <summary>
/// A real pipeline run (320x180 at 30 fps, clean loopback) with an attacker on the same host: once frames flow it
/// finds Kernel A's receive port in the kernel's log, records genuine datagrams off loopback for 3 s, then sends
/// forged (own key), replayed (the recorded ones, resent) and stranger datagrams to that port, and forged or garbage
/// messages to the launcher's command socket and every role's publisher port, while the stream goes on.
/// </summary>
public sealed partial class AttackRun
{
    private readonly AttackOptions _options;
    private readonly TextWriter _progress;

    public AttackRun(AttackOptions options, TextWriter progress)
    {
        _options = options;
        _progress = progress;
    }

    public AttackVerdict Execute(CancellationToken cancel)
    {
        var run = new PipelineRun(new RunOptions
        {
            Duration = _options.Duration,
            Size = "320x180",
            Fps = 30,
            View = RunView.None,
            RunsDirectory = _options.RunsDirectory,
            Report = false,
            DisplayArguments = ["--vmaf", "off"],
        }, _progress);
        Task<Attacked>? attacker = null;
        run.Started += r => attacker = Task.Factory.StartNew(() => Attack(r), TaskCreationOptions.LongRunning);
        var result = run.Execute(cancel);
        Attacked attacked;
        try
        {
            attacked = attacker?.GetAwaiter().GetResult() ?? new Attacked(null, null, 0, "the run never started");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            attacked = new Attacked(null, null, 0, ex.Message);
        }
        var d = attacked.Datagrams;
        var c = attacked.Control;
        return new AttackVerdict(result,
            Enum.GetValues<DatagramAttackKind>().ToDictionary(k => k, k => d?.Sent(k) ?? 0),
            c?.CommandMessagesSent ?? 0, c?.CommandMessagesAccepted ?? 0, run.CommandsRefused, c?.PublisherGarbageSent ?? 0,
            attacked.Captured, attacked.Problem);
    }

    private sealed record Attacked(DatagramAttack? Datagrams, ControlAttack? Control, int Captured, string? Problem);

    private Attacked Attack(PipelineRun run)
    {
        var clock = Stopwatch.StartNew();
        while (run.Telemetry.FramesDisplayed < 30)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                return new Attacked(null, null, 0, "frames never reached the display: nothing to attack");
            }
            Thread.Sleep(100);
        }
        var port = ReceivePort(Path.Combine(run.LogDirectory, "kernel-network.log"));
        if (port is null)
        {
            return new Attacked(null, null, 0, "kernel-network.log names no receive port");
        }
        IReadOnlyList<byte[]> genuine;
        using (var capture = LoopbackCapture.Start(port.Value, 400, out var refused))
        {
            if (capture is null)
            {
                return new Attacked(null, null, 0, refused);
            }
            Thread.Sleep(TimeSpan.FromSeconds(3));
            genuine = capture.Captured;
        }
        if (genuine.Count == 0)
        {
            return new Attacked(null, null, 0, $"no datagram to 127.0.0.1:{port} seen on loopback in 3 s");
        }
        _progress.WriteLine($"aqs attack: {genuine.Count} genuine datagrams recorded from 127.0.0.1:{port}; attacking");
        // Replays go out a second after the last recorded one arrived: the receiver has long accepted the originals.
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var datagrams = new DatagramAttack(port.Value, genuine, _options.Seed);
        var control = new ControlAttack(run.ControlPort, _options.Seed);
        try
        {
            var commandEvery = Math.Max(1, _options.DatagramsPerKind / Math.Max(1, _options.CommandMessages));
            for (var i = 0; i < _options.DatagramsPerKind; i++)
            {
                foreach (var kind in Enum.GetValues<DatagramAttackKind>())
                {
                    datagrams.Send(kind);
                }
                if (i % commandEvery == 0 && control.CommandMessagesSent < _options.CommandMessages)
                {
                    control.SendCommandMessage();
                    control.SendPublisherGarbage();
                }
                // ~600 attack datagrams a second: well under what the receive socket buffers, so none is lost
                // before the receiver counts it.
                Thread.Sleep(5);
            }
            while (control.CommandMessagesSent < _options.CommandMessages)
            {
                control.SendCommandMessage();
            }
        }
        finally
        {
            datagrams.Dispose();
            control.Dispose();
        }
        _progress.WriteLine($"aqs attack: sent {datagrams.SentTotal} datagrams and {control.CommandMessagesSent} command messages in {clock.Elapsed.TotalSeconds:F1} s");
        return new Attacked(datagrams, control, genuine.Count, null);
    }

    /// <summary>The port in Kernel A's start-up line ("receiving on 127.0.0.1:PORT"), once it is written.</summary>
    public static int? ReceivePort(string log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (File.Exists(log))
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                var match = ReceivingOn().Match(new StreamReader(stream).ReadToEnd());
                if (match.Success)
                {
                    return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            Thread.Sleep(100);
        }
        return null;
    }

    [GeneratedRegex(@"receiving on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ReceivingOn();
}
