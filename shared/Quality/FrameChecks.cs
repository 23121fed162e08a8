using Aqs.Shared.Frames;

namespace Aqs.Shared.Quality;

/// <summary>The checks every metric makes at its boundary, each failing with one line that names the value.</summary>
internal static class FrameChecks
{
    public static void RequireSupported(FrameLayout layout, string metric)
    {
        if (layout.Format == PixelFormat.None)
        {
            throw new ArgumentException($"{metric}: frame layout has no pixel format");
        }
    }

    public static void RequireMatching(FrameLayout expected, in PlanarFrame reference, in PlanarFrame distorted, string metric)
    {
        if (reference.Layout != expected)
        {
            throw new ArgumentException($"{metric}: reference frame is {reference.Layout}, metric was made for {expected}");
        }
        if (distorted.Layout != expected)
        {
            throw new ArgumentException($"{metric}: distorted frame is {distorted.Layout}, reference is {expected}");
        }
        for (var p = 0; p < expected.PlaneCount; p++)
        {
            RequirePlane(expected, reference, p, "reference", metric);
            RequirePlane(expected, distorted, p, "distorted", metric);
        }
    }

    private static void RequirePlane(FrameLayout layout, in PlanarFrame frame, int plane, string which, string metric)
    {
        var rowBytes = layout.Stride(plane);
        var stride = frame.Stride(plane);
        var height = layout.PlaneHeight(plane);
        if (stride < rowBytes || stride % layout.Format.BytesPerSample() != 0)
        {
            throw new ArgumentException($"{metric}: {which} plane {plane} stride {stride} is below its row of {rowBytes} bytes or not whole samples");
        }
        var needed = (long)stride * (height - 1) + rowBytes;
        if (frame.Plane(plane).Length < needed)
        {
            throw new ArgumentException($"{metric}: {which} plane {plane} holds {frame.Plane(plane).Length} bytes, {layout} needs {needed}");
        }
    }
}
