using System.Runtime.InteropServices;

namespace Aqs.Shared.Interop;

internal static partial class Libc
{
    /// <summary>The parent's pid; it changes (to 1 or a subreaper) once the parent is gone.</summary>
    [LibraryImport(Libraries.Libc)]
    internal static partial int getppid();
}
