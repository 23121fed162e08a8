namespace Aqs.Engine.Load;

/// <summary>One way to lighten the encoder's load (seed 10.2).</summary>
public enum LoadStep
{
    /// <summary>Halve the frame rate (even decimation).</summary>
    TemporalDownsample,
    /// <summary>One x264-style preset faster.</summary>
    LighterPreset,
    /// <summary>One resolution rung down.</summary>
    LowerRung,
}
