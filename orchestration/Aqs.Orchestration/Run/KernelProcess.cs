using System.Diagnostics;
using System.Text.Json;
using Aqs.Orchestration.Live;
using Aqs.Shared.Kernel;

namespace Aqs.Orchestration.Run;

/// <summary>
/// One running kernel: started with <c>dotnet kernel-x.dll</c>, its output written to a log file,
/// its <see cref="KernelSummary"/> line kept. Stopping is SIGTERM first, SIGKILL after a grace period.
/// </summary>
public sealed class KernelProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _logLock = new();
    private readonly Queue<string> _tail = new();
    private bool _closed;
    private bool _disposed;
    private int? _exitCode;

    public KernelKind Kind { get; }
    public string LogPath { get; }
    public JsonElement? Summary { get; private set; }

    private KernelProcess(KernelKind kind, Process process, string logPath, StreamWriter log)
    {
        Kind = kind;
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    /// <summary>Starts the kernel; a restarted one (<paramref name="incarnation"/> above 0) appends to the same log.</summary>
    public static KernelProcess Start(KernelKind kind, IEnumerable<string> arguments, string logDirectory, int incarnation = 0)
    {
        var dll = KernelBinaries.PathOf(kind);
        if (!File.Exists(dll))
        {
            throw new Aqs.Shared.Cli.UserFacingException($"{kind.ExecutableName()} is not built ({dll} is missing): run orchestration/aqs setup");
        }
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var logPath = Path.Combine(logDirectory, kind.ExecutableName() + ".log");
        var log = new StreamWriter(logPath, append: incarnation > 0) { AutoFlush = true };
        log.WriteLine($"# {(incarnation > 0 ? $"restart {incarnation}: " : "")}dotnet {string.Join(' ', info.ArgumentList)}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var kernel = new KernelProcess(kind, process, logPath, log) { Incarnation = incarnation };
        process.OutputDataReceived += (_, e) => kernel.OnLine(e.Data, stderr: false);
        process.ErrorDataReceived += (_, e) => kernel.OnLine(e.Data, stderr: true);
        process.Start();
        kernel.Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return kernel;
    }

    public int Pid { get; private set; }

    /// <summary>0 for the first process of this kernel in the run, then one more for each restart.</summary>
    public int Incarnation { get; private init; }

    /// <summary>The newest /proc reading taken while it ran (its CPU time is not readable after it exits).</summary>
    public ProcessReading? LastReading { get; private set; }

    /// <summary>Reads /proc now and keeps the reading.</summary>
    public ProcessReading? Measure()
    {
        if (!HasExited && ProcessStats.Read(Pid) is { } reading)
        {
            LastReading = reading;
        }
        return LastReading;
    }

    public bool HasExited => _disposed || _process.HasExited;

    public int? ExitCode => _disposed ? _exitCode : _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines it printed, for an error message when it failed.</summary>
    public IReadOnlyList<string> Tail
    {
        get
        {
            lock (_logLock)
            {
                return _tail.ToList();
            }
        }
    }

    private void OnLine(string? line, bool stderr)
    {
        if (line is null)
        {
            return;
        }
        if (!stderr && KernelSummary.TryParse(line, out var summary))
        {
            Summary = summary;
        }
        lock (_logLock)
        {
            if (_closed)
            {
                return;
            }
            _log.WriteLine(stderr ? "! " + line : line);
            _tail.Enqueue(line);
            while (_tail.Count > 8)
            {
                _tail.Dequeue();
            }
        }
    }

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = Native.kill(_process.Id, signal);
        }
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (_disposed)
        {
            return true;
        }
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return true;
    }

    public void Kill()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Kills it if it still runs and lets go of the process; safe to call again, and it still answers HasExited/ExitCode.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        Kill();
        _exitCode = _process.ExitCode;
        _disposed = true;
        _process.Dispose();
        lock (_logLock)
        {
            _closed = true;
            _log.Dispose();
        }
    }
}
