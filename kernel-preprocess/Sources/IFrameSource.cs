using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Where Kernel B's frames come from. A source writes each frame straight into the caller's buffer
/// (a shared-memory ring slot), laid out as <see cref="Layout"/> says: tightly packed planes, samples
/// above 8 bit as 16-bit little-endian words. Not thread-safe: one reader.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>Geometry and pixel format of every frame this source delivers.</summary>
    FrameLayout Layout { get; }

    /// <summary>Nominal frame rate (frames per second).</summary>
    double Fps { get; }

    /// <summary>Colour description as FFmpeg's AVCOL_* values.</summary>
    ColorDescription Color { get; }

    /// <summary>
    /// True for live capture: frames come when the device makes them, stamped with the time they were taken, so
    /// the source is its own clock. Pacing such a source again at its timestamps would add the delay between
    /// opening and the first read to every frame; Kernel B publishes live frames as they come.
    /// </summary>
    bool IsLive => false;

    /// <summary>
    /// Writes the next frame into <paramref name="destination"/> (at least <see cref="FrameLayout.FrameSize"/> bytes).
    /// Returns false at the end of input. Throws <see cref="SourceException"/> with one line naming the input and
    /// the frame / byte where it went wrong; the frames before it have been delivered.
    /// </summary>
    bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info);
}

/// <summary>A source that can start again from its first frame and pass over frames without producing them.</summary>
public interface IRewindableSource : IFrameSource
{
    /// <summary>Goes back to the first frame; the next <see cref="IFrameSource.TryReadFrame"/> delivers frame 0 again.</summary>
    void Rewind();

    /// <summary>Passes over the next frame without writing it; false at the end of input. Throws like TryReadFrame.</summary>
    bool TrySkipFrame();
}
