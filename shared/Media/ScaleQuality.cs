namespace Aqs.Shared.Media;

/// <summary>libswscale's resampling filter.</summary>
public enum ScaleQuality
{
    /// <summary>Nearest neighbour (SWS_POINT): fastest, blocky.</summary>
    Point,
    /// <summary>SWS_FAST_BILINEAR's careful sibling SWS_BILINEAR.</summary>
    Bilinear,
    /// <summary>SWS_BICUBIC: FFmpeg's default.</summary>
    Bicubic,
    /// <summary>SWS_LANCZOS: sharpest, slowest.</summary>
    Lanczos,
    /// <summary>SWS_AREA: averaging, good for downscaling.</summary>
    Area,
}
