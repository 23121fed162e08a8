using Aqs.Shared.Cli;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Bad or unusable input: one line naming the input and, where it applies, the frame and byte offset at which it
/// went wrong. Nothing else escapes a source's parsing code.
/// </summary>
public sealed class SourceException : UserFacingException
{
    public SourceException(string message, Exception? inner = null)
        : base(OneLine(message), CommandLineHost.ExitUsage, inner)
    {
    }

    /// <summary>"FILE: frame N at byte B: WHAT".</summary>
    public static SourceException AtFrame(string input, long frame, long byteOffset, string what) =>
        new($"{input}: frame {frame} at byte {byteOffset}: {what}");

    /// <summary>"FILE: at byte B: WHAT" (header problems, before any frame).</summary>
    public static SourceException AtByte(string input, long byteOffset, string what) =>
        new($"{input}: at byte {byteOffset}: {what}");

    /// <summary>Makes any text safe to print as one line: control characters and non-ASCII become escapes.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int max = 40)
    {
        var sb = new System.Text.StringBuilder();
        var n = Math.Min(bytes.Length, max);
        for (var i = 0; i < n; i++)
        {
            var b = bytes[i];
            if (b is >= 0x20 and < 0x7f && b != (byte)'\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if (bytes.Length > max)
        {
            sb.Append("...");
        }
        return sb.ToString();
    }

    private static string OneLine(string message) =>
        message.Contains('\n') || message.Contains('\r') ? message.Replace("\r", "\\r").Replace("\n", "\\n") : message;
}
