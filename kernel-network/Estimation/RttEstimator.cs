namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// Round-trip time from the receiver's echo of our send time: sample = now − echoed send time − receiver
/// hold time (all µs, the two sender times on the sender's clock). Smoothed as RFC 6298 (α = 1/8, β = 1/4).
/// </summary>
public sealed class RttEstimator
{
    public long? LatestUs { get; private set; }
    public double SmoothedUs { get; private set; }
    public double VariationUs { get; private set; }
    public bool HasSample => LatestUs is not null;

    public void OnEcho(long nowUs, long echoedSendTimeUs, long holdUs)
    {
        if (echoedSendTimeUs <= 0)
        {
            return;
        }
        var sample = nowUs - echoedSendTimeUs - holdUs;
        if (sample < 0)
        {
            return;
        }
        if (LatestUs is null)
        {
            SmoothedUs = sample;
            VariationUs = sample / 2.0;
        }
        else
        {
            VariationUs = 0.75 * VariationUs + 0.25 * Math.Abs(SmoothedUs - sample);
            SmoothedUs = 0.875 * SmoothedUs + 0.125 * sample;
        }
        LatestUs = sample;
    }
}
