using System.Runtime.InteropServices;

namespace Aqs.Shared.Interop;

internal static unsafe partial class Libc
{
    internal const int ENOMEM = 12;
    internal const int RLIMIT_MEMLOCK = 8;
    internal const ulong RLIM_INFINITY = ulong.MaxValue;

    /// <summary>struct rlimit on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Rlimit
    {
        public ulong rlim_cur;
        public ulong rlim_max;
    }

    /// <summary>Locks the pages of [address, address+length) in RAM; unlocked again by munmap.</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int mlock(void* address, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int munlock(void* address, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int getrlimit(int resource, out Rlimit limit);
}
