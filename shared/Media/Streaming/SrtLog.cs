using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Aqs.Shared.Timing;

namespace Aqs.Shared.Media;

/// <summary>
/// Takes libsrt's log off stderr (its lines would stand beside ours, in its own format) and keeps the one thing in it
/// we need: why a handshake was rejected ("Incorrect passphrase", "Password required or unexpected"), so that a
/// failed SRT connection is one line of ours that says why. libsrt calls the handler from its own threads.
/// </summary>
internal static unsafe class SrtLog
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);
    private static string? _rejection;
    private static long _rejectionNs;

    public static void Install()
    {
        try
        {
            Interop.Srt.srt_setloglevel(Interop.Srt.LOG_WARNING);
            Interop.Srt.srt_setlogflags(Interop.Srt.SRT_LOGF_BARE);
            Interop.Srt.srt_setloghandler(IntPtr.Zero, &Handle);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libsrt here: libavformat has no srt:// either, and says so itself.
        }
    }

    /// <summary>The rejection reason libsrt logged in the last few seconds, once.</summary>
    public static string? TakeRejection()
    {
        var why = Interlocked.Exchange(ref _rejection, null);
        return why is not null && MonotonicClock.NowNs - Volatile.Read(ref _rejectionNs) < (long)Fresh.TotalNanoseconds ? why : null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Handle(IntPtr opaque, int level, byte* file, int line, byte* area, byte* message)
    {
        var text = Marshal.PtrToStringUTF8((IntPtr)message);
        if (text is null)
        {
            return;
        }
        // "processAsyncConnectRequest: REJECT reported from HS processing: Incorrect passphrase - not processing further"
        var at = text.IndexOf("REJECT reported from HS processing: ", StringComparison.Ordinal);
        if (at >= 0)
        {
            var reason = text[(at + "REJECT reported from HS processing: ".Length)..];
            var dash = reason.IndexOf(" - ", StringComparison.Ordinal);
            Volatile.Write(ref _rejectionNs, MonotonicClock.NowNs);
            Volatile.Write(ref _rejection, (dash < 0 ? reason : reason[..dash]).Trim());
        }
    }
}
