namespace Aqs.Engine.Rungs;

/// <summary>A rung and the media bitrate to encode it at, with the predicted VMAF and the cost J it was chosen on.</summary>
public readonly record struct RungChoice(Rung Rung, double BitrateBps, double PredictedVmaf, double Cost);
