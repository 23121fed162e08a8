using System.Diagnostics;
using System.Text;

namespace Aqs.Kernel.Network.Tests.Transport;

/// <summary>
/// A test peer (tests/peers, roles in Network/NetworkPeers.cs) in a process of its own, optionally inside a
/// network namespace; collects its stdout lines. Killed on dispose if still running.
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();

    public PeerProcess(string role, IEnumerable<string> args, string? netns = null)
    {
        var peers = Path.Combine(TestContext.CurrentContext.TestDirectory, "Aqs.TestPeers.dll");
        var info = new ProcessStartInfo(netns is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (netns is not null)
        {
            foreach (var a in new[] { "netns", "exec", netns, "dotnet" })
            {
                info.ArgumentList.Add(a);
            }
        }
        info.ArgumentList.Add(peers);
        info.ArgumentList.Add(role);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/>; null on timeout or exit.</summary>
    public string? WaitForLine(string prefix, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            var line = Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flush the async readers
                return Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            }
            Thread.Sleep(20);
        }
        return null;
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            return -1;
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>The <c>key=value</c> fields of a peer's output line.</summary>
    public static Dictionary<string, string> Fields(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Contains('='))
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

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
