using System.Diagnostics;
using System.Text.Json;
using Aqs.Shared.Contracts;
using Aqs.Shared.Kernel;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display.Tests.Infrastructure;

/// <summary>
/// A real kernel-display process fed by this test: it creates the <c>rx</c> and <c>ref</c> rings, plays an encoded
/// stream into them at a frame rate (each source frame into ref, each encoded frame into rx unless told to leave it
/// out), listens to the display's control-plane messages as the encoder would, and reads the kernel's summary.
/// </summary>
public sealed class DisplayProcess : IDisposable
{
    private readonly string _session = "d" + Guid.NewGuid().ToString("N")[..8];
    private readonly FrameWriter _rx;
    private readonly FrameWriter _ref;
    private readonly ControlPlane _control;
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly List<object> _messages = [];

    public DisplayProcess(int rxCapacity, int refCapacity, params string[] args)
    {
        _rx = FrameWriter.Create(_session, "rx", new RingOptions(64, rxCapacity));
        _ref = FrameWriter.Create(_session, "ref", new RingOptions(64, refCapacity));
        var options = ControlPlaneOptions.ForSession(_session);
        _control = ControlPlane.Start(_session, KernelRole.Encode, options);
        _control.Listen<KeyframeRequest>();
        _control.Listen<QualityFeedback>();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(KernelPath);
        foreach (var a in new[] { "--session", _session, "--control-port", options.BasePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--vmaf", "off", "--gpu", "off" }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }
        _process = Process.Start(info)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
        if (!_rx.WaitForConsumers(1, TimeSpan.FromSeconds(20)) || !_ref.WaitForConsumers(1, TimeSpan.FromSeconds(20)))
        {
            Kill();
            Assert.Fail($"kernel-display did not attach: {_stderr.Result}");
        }
    }

    public static string KernelPath
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
            {
                dir = dir.Parent;
            }
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "artifacts", "bin", "Aqs.Kernel.Display", "release", "kernel-display.dll");
        }
    }

    public IReadOnlyList<object> Messages => _messages;

    /// <summary>Plays the stream at <paramref name="fps"/>; frames for which <paramref name="leaveOut"/> is true never reach rx.</summary>
    public void Play(IReadOnlyList<EncodedFrame> stream, double fps, Func<long, bool>? leaveOut = null)
    {
        var interval = (long)(1e9 / fps);
        var next = MonotonicClock.NowNs;
        foreach (var frame in stream)
        {
            MonotonicClock.SleepUntilNs(next);
            next += interval;
            var capture = MonotonicClock.NowNs;
            Assert.That(_ref.TryClaim(frame.SourceLayout.FrameSize, TimeSpan.FromSeconds(2), out var refSlot), Is.True, "ref slot");
            refSlot.Header.FrameId = frame.FrameId;
            refSlot.Header.CaptureTimeNs = capture;
            refSlot.Header.SetLayout(frame.SourceLayout);
            refSlot.Header.PayloadLength = frame.SourceLayout.FrameSize;
            frame.Source.CopyTo(refSlot.Payload);
            _ref.Publish(ref refSlot);
            if (leaveOut?.Invoke(frame.FrameId) != true)
            {
                Assert.That(_rx.TryClaim(frame.Data.Length, TimeSpan.FromSeconds(2), out var rxSlot), Is.True, "rx slot");
                rxSlot.Header = frame.Header(capture);
                frame.Data.CopyTo(rxSlot.Payload);
                _rx.Publish(ref rxSlot);
            }
            Drain();
        }
    }

    /// <summary>Ends the stream and returns the kernel's summary.</summary>
    public JsonElement Finish()
    {
        _rx.Close();
        _ref.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            Kill();
            Assert.Fail("kernel-display did not exit after the end of the stream");
        }
        Drain();
        var stdout = _stdout.Result;
        TestContext.Out.WriteLine(_stderr.Result);
        Assert.That(_process.ExitCode, Is.Zero, _stderr.Result);
        foreach (var line in stdout.Split('\n'))
        {
            if (KernelSummary.TryParse(line.Trim(), out var summary))
            {
                TestContext.Out.WriteLine(line);
                return summary;
            }
        }
        Assert.Fail($"no summary in: {stdout}");
        return default;
    }

    private void Drain()
    {
        while (_control.TryReceive(out var message, TimeSpan.Zero))
        {
            if (message is not null)
            {
                _messages.Add(message);
            }
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        _control.Dispose();
        _rx.Dispose();
        _ref.Dispose();
    }
}
