namespace Aqs.Kernel.Network.Interop;

/// <summary>Names of the native libraries kernel-network binds, as the dynamic loader knows them.</summary>
internal static partial class Interop
{
    internal static class Libraries
    {
        /// <summary>Intel ISA-L (Debian <c>libisal2</c>). The SONAME, so the -dev package is not needed at run time.</summary>
        internal const string Isal = "libisal.so.2";
    }
}
