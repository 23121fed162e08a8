namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// xorshift64* (Vigna): a few cycles a number, plenty for texture and noise, and seeded per frame so each frame can
/// be drawn on its own. Mutable struct: pass by ref, don't make it readonly.
/// </summary>
internal struct XorShift64
{
    private ulong _state;

    public XorShift64(ulong seed)
    {
        _state = SplitMix(seed) | 1;
    }

    /// <summary>SplitMix64 finaliser: turns related seeds (seed, frame) into unrelated ones.</summary>
    public static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Mix(ulong a, ulong b) => SplitMix(a ^ SplitMix(b + 0x632BE59BD9B4E019UL));

    public ulong Next()
    {
        var x = _state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        return x * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>Uniform in [0, n).</summary>
    public int NextInt(int n) => (int)((Next() >> 32) * (ulong)n >> 32);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    public bool NextBool() => (Next() & 0x8000_0000_0000_0000UL) != 0;
}
