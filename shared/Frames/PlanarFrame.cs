namespace Aqs.Shared.Frames;

/// <summary>
/// A read-only view of one planar frame whose planes may sit anywhere (a ring slot, a decoder's
/// buffers). Strides are in bytes; samples above 8 bit are 16-bit little-endian words.
/// </summary>
public readonly ref struct PlanarFrame
{
    public readonly ReadOnlySpan<byte> Plane0;
    public readonly ReadOnlySpan<byte> Plane1;
    public readonly ReadOnlySpan<byte> Plane2;
    public readonly int Stride0;
    public readonly int Stride1;
    public readonly int Stride2;
    public readonly FrameLayout Layout;

    public PlanarFrame(FrameLayout layout,
        ReadOnlySpan<byte> plane0, int stride0,
        ReadOnlySpan<byte> plane1, int stride1,
        ReadOnlySpan<byte> plane2, int stride2)
    {
        Layout = layout;
        Plane0 = plane0;
        Plane1 = plane1;
        Plane2 = plane2;
        Stride0 = stride0;
        Stride1 = stride1;
        Stride2 = stride2;
    }

    /// <summary>A view over a tightly packed buffer laid out as <paramref name="layout"/> says.</summary>
    public static PlanarFrame FromPacked(FrameLayout layout, ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < layout.FrameSize)
        {
            throw new ArgumentException($"buffer of {buffer.Length} bytes is smaller than a {layout} frame ({layout.FrameSize} bytes)", nameof(buffer));
        }
        if (layout.PlaneCount == 1)
        {
            return new PlanarFrame(layout, buffer[..layout.PlaneSize(0)], layout.Stride(0), default, 0, default, 0);
        }
        return new PlanarFrame(layout,
            buffer.Slice(layout.Offset(0), layout.PlaneSize(0)), layout.Stride(0),
            buffer.Slice(layout.Offset(1), layout.PlaneSize(1)), layout.Stride(1),
            buffer.Slice(layout.Offset(2), layout.PlaneSize(2)), layout.Stride(2));
    }

    public ReadOnlySpan<byte> Plane(int index) => index switch
    {
        0 => Plane0,
        1 => Plane1,
        2 => Plane2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public int Stride(int index) => index switch
    {
        0 => Stride0,
        1 => Stride1,
        2 => Stride2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Row <paramref name="y"/> of plane <paramref name="plane"/>, exactly the plane's width in bytes.</summary>
    public ReadOnlySpan<byte> Row(int plane, int y) =>
        Plane(plane).Slice(y * Stride(plane), Layout.Stride(plane));
}
