using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Interop;

/// <summary>
/// Intel ISA-L erasure-code entry points (<c>/usr/include/isa-l/erasure_code.h</c>), native names kept.
/// All of them are pure compute on caller memory: no callbacks, no blocking, no errno.
/// </summary>
internal static unsafe partial class Interop
{
    internal static partial class Isal
    {
        /// <summary>Expands <paramref name="k"/> x <paramref name="rows"/> coefficients into 32-byte nibble tables (<c>gftbls</c> of 32*k*rows bytes).</summary>
        [LibraryImport(Libraries.Isal)]
        [SuppressGCTransition] // microseconds of arithmetic; the GC-mode switch would be a measurable share of a 12 KB block
        internal static partial void ec_init_tables(int k, int rows, byte* a, byte* gftbls);

        /// <summary>dest[r] = sum over j of a[r][j] * data[j], for <paramref name="len"/> bytes of each vector (SIMD chosen at run time).</summary>
        [LibraryImport(Libraries.Isal)]
        [SuppressGCTransition] // 0.3 to 3 us per call for our block sizes; see ec_init_tables
        internal static partial void ec_encode_data(int len, int k, int rows, byte* gftbls, byte** data, byte** coding);

        /// <summary>Fills <paramref name="a"/> (<paramref name="m"/> rows of <paramref name="k"/>): identity on top, Cauchy rows 1/(i^j) below. m is the TOTAL row count k+parity.</summary>
        [LibraryImport(Libraries.Isal)]
        internal static partial void gf_gen_cauchy1_matrix(byte* a, int m, int k);

        /// <summary>Inverts the n x n matrix <paramref name="input"/> (destroyed) into <paramref name="output"/>; returns 0, or -1 when singular.</summary>
        [LibraryImport(Libraries.Isal)]
        internal static partial int gf_invert_matrix(byte* input, byte* output, int n);

        /// <summary>Single GF(2^8) product, polynomial 0x11d.</summary>
        [LibraryImport(Libraries.Isal)]
        internal static partial byte gf_mul(byte a, byte b);

        private static readonly Lazy<bool> s_available = new(Probe);

        /// <summary>True when libisal.so.2 loads and exports what we call (checked once).</summary>
        internal static bool IsAvailable => s_available.Value;

        private static bool Probe()
        {
            if (!NativeLibrary.TryLoad(Libraries.Isal, typeof(Isal).Assembly, DllImportSearchPath.SafeDirectories, out var handle))
            {
                return false;
            }
            foreach (var name in (ReadOnlySpan<string>)["ec_init_tables", "ec_encode_data", "gf_gen_cauchy1_matrix", "gf_invert_matrix", "gf_mul"])
            {
                if (!NativeLibrary.TryGetExport(handle, name, out _))
                {
                    return false;
                }
            }
            return true;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void ThrowUnavailable() =>
            throw new DllNotFoundException($"{Libraries.Isal} (Intel ISA-L) is not installed: apt-get install libisal2");
    }
}
