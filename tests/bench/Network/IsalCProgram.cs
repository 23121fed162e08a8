using System.Diagnostics;
using System.Globalization;

namespace Aqs.Bench.Network;

/// <summary>
/// The baseline for our ISA-L binding: the same encode and decode written in C against libisal, compiled with
/// gcc into a temp directory and run in the same benchmark run. Prints "encode_gbps decode_gbps select_gbps":
/// encode and decode time the ISA-L kernel alone (tables and shard pointers fixed outside the loop); select times a
/// decode that also does per call what our Reconstruct does (pick sources from the loss mask, check the table memo,
/// gather the addresses), so our decode can be compared both with the bare kernel and with equal work.
/// </summary>
internal static class IsalCProgram
{
    private const string Source = """
        #include <stdint.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>
        #include <isa-l/erasure_code.h>

        static double now(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

        /* Runs ec_encode_data with fixed tables and pointers until `seconds` have passed, reading the clock once per
           `batch` calls; returns GB/s of k*len source bytes. Kernel only: nothing else happens per call. */
        static double run(int len, int k, int rows, unsigned char *tables, unsigned char **src, unsigned char **dst, double seconds, long batch) {
            long iters = 0;
            double start = now(), elapsed;
            do {
                for (long i = 0; i < batch; i++) ec_encode_data(len, k, rows, tables, src, dst);
                iters += batch;
                elapsed = now() - start;
            } while (elapsed < seconds);
            return (double)iters * k * len / elapsed / 1e9;
        }

        static uint64_t low_bits(int n) { return n >= 64 ? ~0ull : n <= 0 ? 0 : (1ull << n) - 1; }

        /* Decode tables cached for one source set, as ErasureCoder's memo holds them. */
        static uint64_t memo_sources[4];
        static int memo_shape;
        static unsigned char *memo_tables;

        /* One decode as a caller that learns the loss pattern per call does it, step for step what
           ErasureCoder.Reconstruct does: the first k present shards of a 256-bit mask are the sources, the data shards
           not among them are rebuilt, the source set is checked against the table memo, the shard addresses are
           gathered, then the kernel. noipa: the compiler may not hoist any of it out of the timing loop. */
        __attribute__((noipa)) static int reconstruct(int len, int k, int m, const uint64_t *present, unsigned char **shards) {
            int total = k + m, words = (total + 63) >> 6, found = 0, missing = 0;
            uint64_t sources[4] = {0}, lost[4] = {0};
            unsigned char *src[255], *dst[255], **s = src, **d = dst;
            for (int w = 0; w < words; w++) {
                uint64_t bits = present[w] & low_bits(total - 64 * w);
                int count = __builtin_popcountll(bits), excess = count - (k - found);
                for (; excess > 0; excess--, count--) bits &= ~(0x8000000000000000ull >> __builtin_clzll(bits));
                found += count;
                uint64_t l = low_bits(k - 64 * w) & ~bits;
                missing += __builtin_popcountll(l);
                sources[w] = bits;
                lost[w] = l;
            }
            if (found < k) return 0;
            if (missing == 0) return 1;
            if (memo_tables == NULL || memo_shape != (k | m << 8) || memcmp(sources, memo_sources, sizeof sources) != 0) return -1;
            for (int w = 0; w < words; w++) {
                for (uint64_t b = sources[w]; b; b &= b - 1) *s++ = shards[64 * w + __builtin_ctzll(b)];
                for (uint64_t b = lost[w]; b; b &= b - 1) *d++ = shards[64 * w + __builtin_ctzll(b)];
            }
            ec_encode_data(len, k, missing, memo_tables, src, dst);
            return 1;
        }

        static double run_reconstruct(int len, int k, int m, const uint64_t *present, unsigned char **shards, double seconds, long batch) {
            long iters = 0;
            double start = now(), elapsed;
            do {
                for (long i = 0; i < batch; i++) if (reconstruct(len, k, m, present, shards) != 1) return -1;
                iters += batch;
                elapsed = now() - start;
            } while (elapsed < seconds);
            return (double)iters * k * len / elapsed / 1e9;
        }

        int main(int argc, char **argv) {
            if (argc != 6) { fprintf(stderr, "usage: rs K M LEN SECONDS BATCH\n"); return 2; }
            int k = atoi(argv[1]), m = atoi(argv[2]), len = atoi(argv[3]);
            double seconds = atof(argv[4]);
            long batch = atol(argv[5]);
            if (k < 1 || m < 1 || k + m > 255 || len < 1 || batch < 1) { fprintf(stderr, "need 1 <= k, 1 <= m, k+m <= 255, len >= 1, batch >= 1\n"); return 2; }
            int n = k + m, stride = (len + 63) & ~63;
            unsigned char *mem, *shards[255], *src[255], *dst[255];
            if (posix_memalign((void **)&mem, 64, (size_t)n * stride)) return 1;
            for (int i = 0; i < n; i++) shards[i] = mem + (size_t)i * stride;
            srand(1);
            for (long i = 0; i < (long)n * stride; i++) mem[i] = rand();
            unsigned char *a = malloc(n * k), *b = malloc(k * k), *inv = malloc(k * k), *rows = malloc(k * k);
            unsigned char *enc = malloc(32 * k * m), *dec = malloc(32 * k * m);
            gf_gen_cauchy1_matrix(a, n, k);
            ec_init_tables(k, m, a + k * k, enc);
            double encode = run(len, k, m, enc, shards, shards + k, seconds, batch);
            /* Decode: the first m data shards lost, rebuilt from the rest plus all parity (the worst case).
               Tables built once, outside the timing, like the cached tables of our coder. */
            for (int i = 0; i < k; i++) { src[i] = shards[m + i]; memcpy(b + i * k, a + (m + i) * k, k); }
            if (gf_invert_matrix(b, inv, k) < 0) return 1;
            for (int i = 0; i < m; i++) { memcpy(rows + i * k, inv + i * k, k); dst[i] = shards[i]; }
            ec_init_tables(k, m, rows, dec);
            double decode = run(len, k, m, dec, src, dst, seconds, batch);
            uint64_t present[4] = {0};
            for (int i = m; i < n; i++) present[i >> 6] |= 1ull << (i & 63);
            for (int i = m; i < n; i++) memo_sources[i >> 6] |= 1ull << (i & 63);
            memo_shape = k | m << 8;
            memo_tables = dec;
            double decode_select = run_reconstruct(len, k, m, present, shards, seconds, batch);
            if (decode_select < 0) { fprintf(stderr, "reconstruct missed its table memo\n"); return 1; }
            printf("%.4f %.4f %.4f\n", encode, decode, decode_select);
            return 0;
        }
        """;

    /// <summary>Compiles the program; returns its path, or null with the reason why not (no gcc, no headers).</summary>
    public static string? Build(out string reason)
    {
        var dir = Path.Combine(Path.GetTempPath(), "aqs-bench-isal-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var source = Path.Combine(dir, "rs.c");
        var binary = Path.Combine(dir, "rs");
        File.WriteAllText(source, Source);
        // -march=native: popcount/tzcnt as single instructions, as the JIT emits them for our side (ISA-L picks its own SIMD at run time).
        var (code, output) = Run("gcc", ["-O2", "-march=native", "-o", binary, source, "-lisal"]);
        if (code != 0)
        {
            reason = $"gcc -O2 -march=native rs.c -lisal failed (exit {code}): {output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? output.Trim()}";
            return null;
        }
        reason = "";
        return binary;
    }

    /// <summary>GB/s of encode, bare-kernel decode and decode with our per-call work; the clock is read once per <paramref name="batch"/> calls.</summary>
    public static (double Encode, double Decode, double DecodeWithSelection) Measure(string binary, int k, int m, int length, double seconds, int batch)
    {
        var (code, output) = Run(binary, [k.ToString(CultureInfo.InvariantCulture), m.ToString(CultureInfo.InvariantCulture),
            length.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), batch.ToString(CultureInfo.InvariantCulture)]);
        if (code != 0)
        {
            throw new InvalidOperationException($"{binary} exited {code}: {output}");
        }
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static (int Code, string Output) Run(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{file}: {e.Message}");
        }
    }
}
