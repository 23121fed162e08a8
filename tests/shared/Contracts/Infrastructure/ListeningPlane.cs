using Aqs.Shared.Contracts;

namespace Aqs.Shared.Tests.Contracts.Infrastructure;

/// <summary>A control plane that listens to every topic, as these tests read whatever arrives with TryReceive.</summary>
internal static class ListeningPlane
{
    public static ControlPlane Start(string session, KernelRole role, ControlPlaneOptions? options = null)
    {
        var plane = ControlPlane.Start(session, role, options);
        plane.ListenToAll();
        return plane;
    }
}
