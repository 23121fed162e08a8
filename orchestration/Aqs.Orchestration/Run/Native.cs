using System.Runtime.InteropServices;

namespace Aqs.Orchestration.Run;

internal static partial class Native
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int sig);
}
