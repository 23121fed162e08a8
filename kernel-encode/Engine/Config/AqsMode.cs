namespace Aqs.Engine.Config;

/// <summary>What the stream is for: each mode is a <see cref="ModeProfile"/> of defaults and priorities.</summary>
public enum AqsMode
{
    /// <summary>As sharp as the link allows within a few hundred milliseconds of latency; frame rate gives way first.</summary>
    Quality,
    /// <summary>Competitive gaming: the smallest queue and the highest frame rate; resolution gives way first.</summary>
    Latency,
    /// <summary>Battery and data matter: at most 60 fps, bits saved where they buy little, lighter presets.</summary>
    Mobile,
    /// <summary>Motion priority (seed 8.1): 90-120 fps held, resolution gives way, 33 ms reaction.</summary>
    Sports,
    /// <summary>Video calls (seed 8.2): 66 ms latency budget, never below 720p.</summary>
    Conference,
}
