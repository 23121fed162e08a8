namespace Aqs.Shared.Contracts;

/// <summary>
/// A message of the control plane. Every contract states the schema version it was written with;
/// a reader drops (and counts) a version it does not know instead of guessing at its fields.
/// </summary>
public interface IControlContract
{
    int SchemaVersion { get; }
}
