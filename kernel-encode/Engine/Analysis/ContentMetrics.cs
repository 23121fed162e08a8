namespace Aqs.Engine.Analysis;

/// <summary>
/// What one frame's content looks like to the engine, on an 8-bit sample scale whatever the source depth.
/// </summary>
/// <param name="Motion">Mean absolute change of 8x8 block means since the previous frame (coarse motion, SAD per block).</param>
/// <param name="TemporalComplexity">Standard deviation of those changes: how unevenly the picture moves.</param>
/// <param name="SpatialComplexity">Mean standard deviation of samples within an 8x8 block (detail an encoder must spend bits on).</param>
/// <param name="GradientEnergy">Mean |dx| + |dy| of the block-mean picture (coarse structure); 0 without advanced analysis.</param>
/// <param name="NoiseSigma">Sample noise: the 10th percentile of block standard deviations (flat blocks hold only noise); 0 without advanced analysis.</param>
/// <param name="SceneChange">The frame starts a new scene.</param>
/// <param name="SceneScore">How far the frame's change stands out from the recent ones (≥ 1 is unusual).</param>
/// <param name="Advanced">Whether the advanced measures were taken.</param>
public readonly record struct ContentMetrics(
    double Motion,
    double TemporalComplexity,
    double SpatialComplexity,
    double GradientEnergy,
    double NoiseSigma,
    bool SceneChange,
    double SceneScore,
    bool Advanced)
{
    /// <summary>
    /// How hard the content is to encode, about 1 for ordinary camera content: detail and motion both cost bits.
    /// Calibrated so a plain talking head is near 0.6 and grass in a pan near 2.5.
    /// </summary>
    public double Complexity => Math.Clamp(0.35 + SpatialComplexity / 12.0 + Motion / 6.0, 0.3, 4.0);
}
