using System.Runtime.InteropServices;
using Aqs.Shared.Interop;

namespace Aqs.Shared.Rings;

/// <summary>Whether a process id still names a running process (kill(pid, 0)).</summary>
internal static class ProcessLiveness
{
    /// <summary>The pid exists and is not a zombie (reads /proc: slow paths only).</summary>
    public static bool IsAlive(int pid) => Exists(pid) && !IsZombie(pid);

    /// <summary>The pid exists (kill(pid, 0) succeeds or says EPERM); no allocation.</summary>
    public static bool Exists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }
        if (Libc.kill(pid, 0) == 0)
        {
            return true;
        }
        // EPERM: it exists but belongs to someone else.
        return Marshal.GetLastPInvokeError() == Libc.EPERM;
    }

    /// <summary>A killed child that its parent has not reaped yet still answers kill(0); its /proc stat says Z.</summary>
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
