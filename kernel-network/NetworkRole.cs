namespace Aqs.Kernel.Network;

/// <summary>Which of Kernel A's two sides this process runs.</summary>
public enum NetworkRole
{
    /// <summary>Send and receive side in one process over loopback UDP (the default).</summary>
    Both,

    /// <summary>Only the send side: enc ring → UDP to <c>--peer</c>.</summary>
    Send,

    /// <summary>Only the receive side: UDP on <c>--listen</c> → rx ring.</summary>
    Receive,
}
