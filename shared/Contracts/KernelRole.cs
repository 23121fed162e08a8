namespace Aqs.Shared.Contracts;

/// <summary>
/// The processes of a session. The numeric value is part of the wire format and of the port map:
/// a role publishes on <c>BasePort + (int)role</c>, so never renumber a member.
/// </summary>
public enum KernelRole
{
    /// <summary>Kernel B: capture, scaling and content analysis.</summary>
    Preprocess = 0,
    /// <summary>Kernel C: the AQS engine and the encoder.</summary>
    Encode = 1,
    /// <summary>Kernel A: media transport, FEC, bandwidth estimation.</summary>
    Network = 2,
    /// <summary>Kernel D: decode, display and delivered-quality measurement.</summary>
    Display = 3,
    /// <summary>The launcher that starts kernels and sends them commands.</summary>
    Orchestrator = 4,
}
