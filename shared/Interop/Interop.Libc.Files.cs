using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Aqs.Shared.Interop;

/// <summary>File calls .NET does not offer: who owns an open file, and reserving a file's pages up front.</summary>
internal static partial class Libc
{
    internal const int ENOSPC = 28;
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_MODE = 0x2;
    internal const uint STATX_UID = 0x8;

    /// <summary>
    /// struct statx: its layout is the same on every architecture (unlike struct stat), so one binding serves
    /// x86-64 and arm64. Only the fields read here are named; the rest is padding up to its 256 bytes.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Statx
    {
        [FieldOffset(0)] public uint stx_mask;
        [FieldOffset(20)] public uint stx_uid;
        [FieldOffset(24)] public uint stx_gid;
        [FieldOffset(28)] public ushort stx_mode;
    }

    /// <summary>statx(2) on an open descriptor (empty path with AT_EMPTY_PATH): the file the process holds, not a name that may have been swapped.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int statx(SafeFileHandle dirfd, string pathname, int flags, uint mask, out Statx statxbuf);

    [LibraryImport(Libraries.Libc, EntryPoint = "geteuid")]
    internal static partial uint geteuid();

    /// <summary>
    /// Allocates the file's blocks now. On tmpfs (/dev/shm) ftruncate only sets the size: a page that cannot be
    /// had later raises SIGBUS in whichever process touches it first. Returns 0 or an errno (not through errno).
    /// </summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "posix_fallocate")]
    internal static partial int posix_fallocate(SafeFileHandle fd, long offset, long len);
}
