namespace Aqs.Engine.Config;

/// <summary>A setting the engine cannot work with; the message is one line a user can act on.</summary>
public sealed class AqsConfigException(string message) : Exception(message);
