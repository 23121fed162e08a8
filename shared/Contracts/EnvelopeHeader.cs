namespace Aqs.Shared.Contracts;

/// <summary>What could be read of an envelope before its body: for logging a drop precisely.</summary>
internal readonly record struct EnvelopeHeader(int SchemaVersion, int TypeTag);
