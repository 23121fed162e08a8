namespace Aqs.Shared.Contracts;

/// <summary>What a <see cref="Command"/> asks for. Values are on the wire: never renumber.</summary>
public enum CommandKind
{
    /// <summary>Apply the non-null parameter fields (the seed's <c>aqs_update_params</c>).</summary>
    UpdateParams = 0,
    /// <summary>Emit an I frame as soon as possible.</summary>
    ForceKeyframe = 1,
    /// <summary>Finish the frame in hand, release resources and exit.</summary>
    Stop = 2,
}
