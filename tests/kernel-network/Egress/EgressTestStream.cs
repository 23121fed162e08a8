using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Network.Egress;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Kernel.Network.Tests.Egress;

/// <summary>Real libx264 frames for the egress tests (a moving pattern, keyframes where asked) and the ffmpeg tools as standard receivers.</summary>
internal sealed class EgressTestStream : IDisposable
{
    public const int Fps = 30;
    private readonly VideoEncoder _encoder;
    private readonly FrameLayout _layout;
    private int _next;

    private readonly bool _noisy;

    /// <param name="noisy">Fresh noise on every frame, so the encoder spends its whole bitrate (ffmpeg reports per 280 kB received).</param>
    public EgressTestStream(int width = 320, int height = 240, long bitrateBps = 600_000, string codec = "libx264", bool noisy = false)
    {
        _noisy = noisy;
        _layout = new FrameLayout(width, height, PixelFormat.Yuv420p);
        _encoder = VideoEncoder.Open(new EncoderSettings(codec, width, height, PixelFormat.Yuv420p, Fps, 1, bitrateBps) { KeyframeInterval = 1000 });
    }

    public FrameLayout Layout => _layout;

    /// <summary>The source picture of frame <paramref name="t"/> (what a receiver's frame t is compared with).</summary>
    public byte[] Picture(int t)
    {
        var bytes = new byte[_layout.FrameSize];
        var w = _layout.Width;
        var h = _layout.Height;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var box = x >= (t * 4) % (w - 40) && x < (t * 4) % (w - 40) + 40 && y >= 60 && y < 110;
                bytes[y * w + x] = box ? (byte)230 : (byte)(64 + 96 * (0.5 + 0.5 * Math.Sin((x + 3 * t) / 17.0) * Math.Cos((y - 2 * t) / 23.0)));
            }
        }
        if (_noisy)
        {
            var random = new Random(t);
            for (var i = 0; i < w * h; i++)
            {
                bytes[i] = (byte)Math.Clamp(bytes[i] + random.Next(-40, 40), 0, 255);
            }
        }
        for (var i = w * h; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(128 + ((i + t) % 32) / 4);
        }
        return bytes;
    }

    /// <summary>Encodes the next frame (a keyframe when <paramref name="key"/>) and returns it as an egress frame.</summary>
    public EgressFrame Next(bool key = false)
    {
        var t = _next++;
        _encoder.Send(PlanarFrame.FromPacked(_layout, Picture(t)), t, key);
        if (!_encoder.TryReceive(out var packet))
        {
            throw new InvalidOperationException("the low-latency encoder gave no packet for a frame");
        }
        return EgressFrame.Copy(packet.Data, packet.Pts * 1_000_000_000L / Fps, 1_000_000_000L / Fps, packet.IsKeyframe, false, _encoder.Codec, _layout.Width, _layout.Height);
    }

    public void Dispose() => _encoder.Dispose();

    public static int FreeUdpPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            if (port % 2 == 0 && port < 65000 && UdpPortFree(port + 1))
            {
                return port;
            }
        }
        throw new InvalidOperationException("no free even UDP port pair");
    }

    public static bool UdpPortFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until some process has bound <paramref name="port"/> (a receiver is ready).</summary>
    public static void WaitForListener(int port, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (UdpPortFree(port))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
                Assert.Fail($"the receiver never bound UDP port {port}: {process.StandardError.ReadToEnd()}");
            }
            Thread.Sleep(20);
        }
    }

    public static Process Start(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        return Process.Start(info)!;
    }

    /// <summary>Waits for a tool to finish; its stdout, or a failed assertion with its stderr.</summary>
    public static string Finish(Process process, TimeSpan within)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(within))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{process.StartInfo.FileName} did not finish within {within.TotalSeconds} s: {stderr.Result}");
        }
        Assert.That(process.ExitCode, Is.Zero, $"{process.StartInfo.FileName}: {stderr.Result}");
        return stdout.Result;
    }

    public static Dictionary<string, string> Fields(string keyValueLines) =>
        keyValueLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
}

