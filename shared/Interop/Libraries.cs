namespace Aqs.Shared.Interop;

/// <summary>Names of the native libraries the bindings load, in one place.</summary>
internal static class Libraries
{
    /// <summary>
    /// glibc by its soname: plain "libc" would make the loader try libc.so, which on Debian is a
    /// linker script (text), not an ELF file, and dlopen refuses it.
    /// </summary>
    internal const string Libc = "libc.so.6";
}
