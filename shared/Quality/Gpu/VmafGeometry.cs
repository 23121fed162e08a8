using ILGPU;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>One VIF scale: its plane size, its filter in the concatenated filter table, the rounding of the
/// vertical pass, and where its four sums go in the results.</summary>
internal struct VifScaleGeometry
{
    public int Width;
    public int Height;
    public int FilterStart;
    public int Taps;
    public int ShiftMu;
    public uint RoundMu;
    public int ShiftSq;
    public ulong RoundSq;
    public int ResultSlot;
    /// <summary>Subsampling into the next scale: the next filter, the shift of its vertical pass.</summary>
    public int NextFilterStart;
    public int NextTaps;
    public int NextShift;
}

/// <summary>One ADM level: input and output sizes, DWT rounding, the regions libvmaf computes, the CSF weights and
/// the rounding shifts of the numerator (contrast mask) and denominator sums, all as the CPU path derives them.</summary>
internal struct AdmLevelGeometry
{
    public int Level;
    public int InWidth;
    public int InHeight;
    public int Width;
    public int Height;
    /// <summary>Band stride (half the luma width, rounded up), the same at every level.</summary>
    public int Stride;
    public int BitDepth;
    /// <summary>Samples of one band in the ADM buffer (stride times half the luma height, rounded up).</summary>
    public int BandSize;
    public long RoundV;
    public int ShiftV;
    public long RoundH;
    public int ShiftH;
    // Region with the filter taps (decouple, CSF) and without (sums).
    public int TapLeft, TapTop, TapRight, TapBottom;
    public int Left, Top, Right, Bottom;
    public uint FactorHv;
    public uint FactorD;
    public int ShiftCubHv;
    public long RoundCubHv;
    public int ShiftCubD;
    public long RoundCubD;
    public int ShiftInner;
    public long RoundInner;
    public int DenShiftSq;
    public ulong DenRoundSq;
    public int DenShiftCub;
    public ulong DenRoundCub;
    public int DenShiftAccum;
    public ulong DenRoundAccum;
    public int ResultSlot;
}

/// <summary>Where each feature's integer sums lie in one frame's results (64-bit words).</summary>
internal static class VmafResultSlots
{
    /// <summary>VIF scale s: NumLog, DenLog, NumNonLog, DenNonLog at 4s.</summary>
    public const int Vif = 0;
    /// <summary>ADM level l: numerator h, v, d then denominator h, v, d at Adm + 6l.</summary>
    public const int Adm = 16;
    public const int Motion = 40;
    public const int Count = 48;
}
