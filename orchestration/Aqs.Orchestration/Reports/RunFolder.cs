using System.Text.Json;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Live;
using Aqs.Shared.Cli;

namespace Aqs.Orchestration.Reports;

/// <summary>
/// <c>runs/&lt;session&gt;/</c>: everything one run leaves behind.
/// <code>
/// session.json          who and where: session, control port, launcher pid (aqs set reads it)
/// timeline.jsonl        one TelemetrySample a second
/// encoded-frames.jsonl  one line per encoded frame as Kernel C published it (id, bytes, type, qp, encode ms, size)
/// decisions.jsonl       one line per AQS decision, written by Kernel C (--decision-log)
/// displayed-frames.jsonl one line per presented and per measured picture, written by Kernel D (--frames-jsonl)
/// summary.json          the kernels' totals, restarts, end reason, and the figures the report derives from the logs
/// report.html + *.png   the plots
/// kernel-*.log          each kernel's output
/// </code>
/// </summary>
public sealed class RunFolder
{
    public const string SessionFile = "session.json";
    public const string TimelineFile = "timeline.jsonl";
    public const string EncodedFramesFile = "encoded-frames.jsonl";
    public const string DecisionsFile = "decisions.jsonl";
    public const string DisplayedFramesFile = "displayed-frames.jsonl";
    public const string SummaryFile = "summary.json";
    public const string ReportFile = "report.html";

    public string Path { get; }

    public RunFolder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public static RunFolder Create(string runsDirectory, string session)
    {
        var folder = new RunFolder(System.IO.Path.Combine(runsDirectory, session));
        Directory.CreateDirectory(folder.Path);
        return folder;
    }

    /// <summary>An existing run folder, or a one-line error naming what is missing.</summary>
    public static RunFolder Open(string path)
    {
        var folder = new RunFolder(path);
        if (!Directory.Exists(folder.Path))
        {
            throw new UserFacingException($"{path}: no such run folder", CommandLineHost.ExitUsage);
        }
        if (!System.IO.File.Exists(folder.File(TimelineFile)) && !System.IO.File.Exists(folder.File(SummaryFile)))
        {
            throw new UserFacingException($"{path}: not a run folder (no {TimelineFile} or {SummaryFile})", CommandLineHost.ExitUsage);
        }
        return folder;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <param name="keysFile">The session's CURVE keys file when its control plane speaks CURVE (the path only).</param>
    public void WriteSession(string session, int controlPort, string? keysFile = null)
    {
        var info = new JsonObject
        {
            ["session"] = session,
            ["control_port"] = controlPort,
            ["control_keys"] = keysFile,
            ["launcher_pid"] = Environment.ProcessId,
            ["started_utc"] = DateTime.UtcNow.ToString("O"),
        };
        System.IO.File.WriteAllText(File(SessionFile), info.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public IReadOnlyList<TelemetrySample> ReadTimeline() =>
        ReadLines(TimelineFile).Select(TelemetrySample.FromJsonLine).OfType<TelemetrySample>().ToList();

    /// <summary>Each JSON line of <paramref name="name"/> as an object; missing file = none; malformed lines are skipped.</summary>
    public IReadOnlyList<JsonObject> ReadJsonLines(string name)
    {
        var rows = new List<JsonObject>();
        foreach (var line in ReadLines(name))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject row)
                {
                    rows.Add(row);
                }
            }
            catch (JsonException)
            {
            }
        }
        return rows;
    }

    public JsonObject? ReadSummary()
    {
        if (!System.IO.File.Exists(File(SummaryFile)))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(System.IO.File.ReadAllText(File(SummaryFile))) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new UserFacingException($"{File(SummaryFile)}: not valid JSON ({ex.Message})");
        }
    }

    private IEnumerable<string> ReadLines(string name)
    {
        var path = File(name);
        if (!System.IO.File.Exists(path))
        {
            return [];
        }
        // Share with a writer that may still be appending (a live run).
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }
        return lines;
    }
}

/// <summary>A JSON-lines file appended to as a run goes on; every line is flushed so a killed launcher loses at most one.</summary>
public sealed class JsonLinesWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly object _lock = new();

    public JsonLinesWriter(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public void Write(string line)
    {
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }
}
