using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aqs.Shared.Tests.Rings.Infrastructure;

/// <summary>
/// A test peer process (<c>dotnet Aqs.TestPeers.dll ROLE args</c>) whose output lines are collected,
/// so a test can wait for a line, kill it with SIGKILL, or wait for its exit code.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ConcurrentQueue<string> _all = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public string Output => string.Join("\n", _all);

    public static PeerProcess Start(string role, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Aqs.TestPeers.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add(role);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_TieredPGO"] = "0";
        var process = new Process { StartInfo = info };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data, "");
        process.ErrorDataReceived += (_, e) => peer.OnLine(e.Data, "stderr: ");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    private void OnLine(string? line, string prefix)
    {
        if (line is null)
        {
            return;
        }
        _all.Enqueue(prefix + line);
        if (prefix.Length == 0)
        {
            try
            {
                _lines.Add(line);
            }
            catch (ObjectDisposedException)
            {
                // output after the test let go of the peer
            }
        }
    }

    /// <summary>Waits for a stdout line starting with <paramref name="prefix"/>; fails the test on timeout or exit.</summary>
    public string WaitForLine(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(50)))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
            else if (_process.HasExited)
            {
                Assert.Fail($"peer exited ({_process.ExitCode}) before printing '{prefix}': {Output}");
            }
        }
        Assert.Fail($"peer printed no '{prefix}' within {timeout}: {Output}");
        return "";
    }

    /// <summary>Waits for the exit and returns the code; kills it and fails the test on timeout.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            Assert.Fail($"peer did not exit within {timeout}: {Output}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, then reap it (so its pid is gone, not a zombie).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
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
    }
}
