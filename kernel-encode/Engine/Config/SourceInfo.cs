namespace Aqs.Engine.Config;

/// <summary>The source as the engine sees it: size, frame rate and bit depth of the frames it is given.</summary>
public readonly record struct SourceInfo(int Width, int Height, double Fps, int BitDepth);
