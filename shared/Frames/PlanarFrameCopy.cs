namespace Aqs.Shared.Frames;

/// <summary>Copies a strided frame into the tightly packed layout the rings carry.</summary>
public static class PlanarFrameCopy
{
    public static void CopyTo(this in PlanarFrame frame, Span<byte> packed)
    {
        var layout = frame.Layout;
        if (packed.Length < layout.FrameSize)
        {
            throw new ArgumentException($"destination of {packed.Length} bytes is smaller than a {layout} frame ({layout.FrameSize} bytes)", nameof(packed));
        }
        for (var p = 0; p < layout.PlaneCount; p++)
        {
            var rowBytes = layout.Stride(p);
            var rows = layout.PlaneHeight(p);
            var destination = packed.Slice(layout.Offset(p), layout.PlaneSize(p));
            if (frame.Stride(p) == rowBytes)
            {
                frame.Plane(p)[..(rowBytes * rows)].CopyTo(destination);
                continue;
            }
            for (var y = 0; y < rows; y++)
            {
                frame.Row(p, y).CopyTo(destination.Slice(y * rowBytes, rowBytes));
            }
        }
    }
}
