using System.Runtime.InteropServices;
using Aqs.Shared.Cli;

namespace Aqs.Shared.Media;

/// <summary>
/// avformat_open_input with an optional forced input format (a capture device such as <c>x11grab</c> or
/// <c>v4l2</c>, which cannot be probed from a name) and demuxer/device options (video_size, framerate...).
/// Device formats live in libavdevice, registered on first use.
/// </summary>
internal static class MediaInput
{
    private static readonly Lazy<string?> DevicesProblem = new(RegisterDevices, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Opens <paramref name="url"/>; with an <paramref name="interrupt"/> (network inputs) every blocking wait of the
    /// open and of later reads gives up when it says so, and libav's own error lines are left to our one line.
    /// </summary>
    public static SafeAvInputContextHandle Open(string url, string? formatName, IReadOnlyDictionary<string, string>? options, IoInterrupt? interrupt = null)
    {
        var format = formatName is null ? IntPtr.Zero : FindFormat(formatName);
        var dictionary = IntPtr.Zero;
        var raw = IntPtr.Zero;
        try
        {
            if (interrupt is not null)
            {
                StreamingSetup.EnsureNetwork();
                // avformat_open_input frees a context we allocated when it fails.
                raw = Interop.AvFormat.avformat_alloc_context();
                if (raw == IntPtr.Zero)
                {
                    throw new AvException("avformat_alloc_context", AvError.ENOMEM, "out of memory");
                }
                interrupt.InstallInto(raw);
            }
            foreach (var (key, value) in options ?? new Dictionary<string, string>())
            {
                AvError.ThrowIfError(Interop.AvUtil.av_dict_set(ref dictionary, key, value, 0), $"av_dict_set({key})");
            }
            // A device or protocol that cannot open logs its own reason too ("[x11grab @ 0x..] Cannot open display"); our one
            // line below says it, so libav is quietened around the open.
            int Open() => Interop.AvFormat.avformat_open_input_with_options(ref raw, url, format, ref dictionary);
            var rc = format != IntPtr.Zero || interrupt is not null ? AvLog.Quietly(Open) : Open();
            if (rc < 0)
            {
                throw new UserFacingException(interrupt is not null
                    ? $"cannot open {StreamingSetup.Redact(url)}: {StreamingSetup.Reason(url, rc, interrupt)}"
                    : formatName is null
                    ? $"cannot open '{url}': {AvError.Describe(rc)}"
                    : $"cannot open {formatName} input '{url}': {AvError.Describe(rc)}{Hint(formatName)}");
            }
            var input = new SafeAvInputContextHandle(raw);
            var unused = FirstKey(dictionary);
            if (unused is not null)
            {
                input.Dispose();
                throw new UserFacingException($"'{url}': option '{unused}' is not known to {formatName ?? "its input format"}");
            }
            return input;
        }
        finally
        {
            Interop.AvUtil.av_dict_free(ref dictionary);
        }
    }

    private static IntPtr FindFormat(string name)
    {
        var problem = DevicesProblem.Value;
        var format = Interop.AvFormat.av_find_input_format(name);
        if (format != IntPtr.Zero)
        {
            return format;
        }
        throw new UserFacingException(problem is not null
            ? $"input format '{name}' is not available: {problem}"
            : $"input format '{name}' is not known to this FFmpeg (ffmpeg -hide_banner -devices / -formats lists them)");
    }

    private static string Hint(string formatName) => formatName switch
    {
        "x11grab" => " (is an X server running on that display, and may we connect to it?)",
        "v4l2" or "video4linux2" => " (is the camera plugged in and readable by this user?)",
        _ => "",
    };

    private static unsafe string? FirstKey(IntPtr dictionary)
    {
        if (dictionary == IntPtr.Zero || Interop.AvUtil.av_dict_count(dictionary) == 0)
        {
            return null;
        }
        var entry = Interop.AvUtil.av_dict_get(dictionary, "", IntPtr.Zero, Interop.AvUtil.AV_DICT_IGNORE_SUFFIX);
        return entry == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(*(IntPtr*)entry); // AVDictionaryEntry { char* key; char* value; }
    }

    private static string? RegisterDevices()
    {
        try
        {
            Interop.AvDevice.avdevice_register_all();
            return null;
        }
        catch (DllNotFoundException)
        {
            return $"{Interop.AvDevice.Library} not found (Debian 12 package libavdevice59)";
        }
        catch (EntryPointNotFoundException e)
        {
            return $"{Interop.AvDevice.Library} lacks avdevice_register_all ({e.Message.Split('\n')[0]})";
        }
    }
}
