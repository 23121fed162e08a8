namespace Aqs.Kernel.Network.Wire;

/// <summary>An unsealed datagram in a <see cref="DatagramPool"/>: which buffer, and how many bytes of it.</summary>
public readonly record struct PacketRef(int Buffer, int Length);
