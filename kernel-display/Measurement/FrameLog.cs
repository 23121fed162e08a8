using System.Globalization;
using System.Text;

namespace Aqs.Kernel.Display.Measurement;

/// <summary>
/// Per-frame JSON lines for reports (<c>--frames-jsonl</c>): one "presented" line per picture shown and one
/// "quality" line per picture measured, joined by frame id. Thread-safe; write errors end logging with one line.
/// </summary>
public sealed class FrameLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly object _gate = new();
    private readonly StringBuilder _line = new(256);
    private bool _failed;

    public FrameLog(string path)
    {
        // Appended: a kernel the supervisor restarted goes on with the file its predecessor wrote.
        _writer = new StreamWriter(path, append: true, new UTF8Encoding(false), 1 << 16);
    }

    public void Presented(long frameId, long captureNs, long presentedNs, int width, int height, string format)
    {
        Write(b => b.Append("{\"kind\":\"presented\",\"frame\":").Append(frameId)
            .Append(",\"capture_ns\":").Append(captureNs)
            .Append(",\"presented_ns\":").Append(presentedNs)
            .Append(",\"presented_ms\":").Append(((presentedNs - captureNs) / 1e6).ToString("F3", CultureInfo.InvariantCulture))
            .Append(",\"width\":").Append(width).Append(",\"height\":").Append(height)
            .Append(",\"format\":\"").Append(format).Append("\"}"));
    }

    public void Quality(long frameId, bool onScreen, long againstFrameId, double ssim, double ssimDb, double psnr)
    {
        Write(b => b.Append("{\"kind\":\"").Append(onScreen ? "onscreen" : "quality").Append("\",\"frame\":").Append(frameId)
            .Append(",\"source\":").Append(againstFrameId)
            .Append(",\"ssim\":").Append(ssim.ToString("F6", CultureInfo.InvariantCulture))
            .Append(",\"ssim_db\":").Append(ssimDb.ToString("F3", CultureInfo.InvariantCulture))
            .Append(",\"psnr\":").Append(psnr.ToString("F3", CultureInfo.InvariantCulture)).Append('}'));
    }

    private void Write(Action<StringBuilder> build)
    {
        lock (_gate)
        {
            if (_failed)
            {
                return;
            }
            _line.Clear();
            build(_line);
            try
            {
                _writer.WriteLine(_line);
            }
            catch (IOException ex)
            {
                _failed = true;
                Console.Error.WriteLine($"kernel-display: per-frame log stopped: {ex.Message}");
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // Already reported or nothing to save.
            }
        }
    }
}
