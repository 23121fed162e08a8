namespace Aqs.Engine.Config;

/// <summary>Which knob a mode gives up first when bits or CPU run short.</summary>
public enum KnobPriority
{
    /// <summary>Keep resolution; lower the frame rate first.</summary>
    KeepResolution,
    /// <summary>Keep the frame rate; lower the resolution first (motion priority).</summary>
    KeepFrameRate,
    /// <summary>Let the content decide: with motion, keep the frame rate; with still content, keep the resolution.</summary>
    Balanced,
}
