using System.Diagnostics;
using System.Globalization;

namespace Aqs.Bench.Network;

/// <summary>
/// The baseline for our ISA-L binding: the same encode and decode written in C against libisal, compiled with
/// gcc into a temp directory and run in the same benchmark run. Prints "encode_gbps decode_gbps".
/// </summary>
internal static class IsalCProgram
{
    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>
        #include <isa-l/erasure_code.h>

        static double now(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

        /* Runs ec_encode_data with the given tables until `seconds` have passed; returns GB/s of k*len source bytes. */
        static double run(int len, int k, int rows, unsigned char *tables, unsigned char **src, unsigned char **dst, double seconds) {
            long iters = 0, batch = 256;
            double start = now(), elapsed;
            do {
                for (long i = 0; i < batch; i++) ec_encode_data(len, k, rows, tables, src, dst);
                iters += batch;
                elapsed = now() - start;
            } while (elapsed < seconds);
            return (double)iters * k * len / elapsed / 1e9;
        }

        int main(int argc, char **argv) {
            if (argc != 5) { fprintf(stderr, "usage: rs K M LEN SECONDS\n"); return 2; }
            int k = atoi(argv[1]), m = atoi(argv[2]), len = atoi(argv[3]);
            double seconds = atof(argv[4]);
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
            double encode = run(len, k, m, enc, shards, shards + k, seconds);
            /* Decode: the first m data shards lost, rebuilt from the rest plus all parity (the worst case). */
            for (int i = 0; i < k; i++) { src[i] = shards[m + i]; memcpy(b + i * k, a + (m + i) * k, k); }
            if (gf_invert_matrix(b, inv, k) < 0) return 1;
            for (int i = 0; i < m; i++) { memcpy(rows + i * k, inv + i * k, k); dst[i] = shards[i]; }
            ec_init_tables(k, m, rows, dec);
            double decode = run(len, k, m, dec, src, dst, seconds);
            printf("%.4f %.4f\n", encode, decode);
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
        var (code, output) = Run("gcc", ["-O2", "-o", binary, source, "-lisal"]);
        if (code != 0)
        {
            reason = $"gcc -O2 rs.c -lisal failed (exit {code}): {output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? output.Trim()}";
            return null;
        }
        reason = "";
        return binary;
    }

    public static (double Encode, double Decode) Measure(string binary, int k, int m, int length, double seconds)
    {
        var (code, output) = Run(binary, [k.ToString(CultureInfo.InvariantCulture), m.ToString(CultureInfo.InvariantCulture),
            length.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)]);
        if (code != 0)
        {
            throw new InvalidOperationException($"{binary} exited {code}: {output}");
        }
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
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
