using System.Text.Json;

namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// libvmaf's optional score transform: polynomial p0 + p1*x + p2*x^2, then a piecewise-linear map through knots,
/// then rectification (out_gte_in / out_lte_in). libvmaf applies it only when the model says "enabled": true
/// (vmaf_v0.6.1.json lists p0..p2 without "enabled", so its scores are not transformed by default).
/// </summary>
internal sealed class ScoreTransform
{
    private double? _p0, _p1, _p2;
    private (double X, double Y)[] _knots = [];
    private bool _outLteIn, _outGteIn;

    public static bool TryParse(JsonElement element, out ScoreTransform? transform, out string reason)
    {
        transform = null;
        reason = "";
        var enabled = element.TryGetProperty("enabled", out var e) && e.ValueKind == JsonValueKind.True;
        if (!enabled)
        {
            return true;
        }
        var t = new ScoreTransform
        {
            _p0 = Number(element, "p0"),
            _p1 = Number(element, "p1"),
            _p2 = Number(element, "p2"),
            _outLteIn = element.TryGetProperty("out_lte_in", out var lte) && lte.ValueKind == JsonValueKind.String && lte.GetString() == "true",
            _outGteIn = element.TryGetProperty("out_gte_in", out var gte) && gte.ValueKind == JsonValueKind.String && gte.GetString() == "true",
        };
        if (element.TryGetProperty("knots", out var knots) && knots.ValueKind == JsonValueKind.Array)
        {
            t._knots = knots.EnumerateArray().Select(k => (k[0].GetDouble(), k[1].GetDouble())).ToArray();
            for (var i = 0; i + 1 < t._knots.Length; i++)
            {
                if (!(t._knots[i].X < t._knots[i + 1].X && t._knots[i].Y <= t._knots[i + 1].Y))
                {
                    reason = "score_transform knots must increase";
                    return false;
                }
            }
        }
        transform = t;
        return true;
    }

    public double Apply(double x)
    {
        var y = x;
        if (_p0.HasValue || _p1.HasValue || _p2.HasValue)
        {
            y = (_p0 ?? 0) + (_p1 ?? 0) * x + (_p2 ?? 0) * x * x;
        }
        if (_knots.Length > 1)
        {
            y = PiecewiseLinear(y);
        }
        if (_outLteIn && y > x)
        {
            y = x;
        }
        if (_outGteIn && y < x)
        {
            y = x;
        }
        return y;
    }

    // Same segment rules as libvmaf's piecewise_linear_mapping: later segments win, ends extrapolate.
    private double PiecewiseLinear(double x)
    {
        var y = 0.0;
        var segments = _knots.Length - 1;
        for (var i = 0; i < segments; i++)
        {
            var (x0, y0) = _knots[i];
            var (x1, y1) = _knots[i + 1];
            var inside = x0 <= x && x <= x1;
            double Line()
            {
                if (y0 == y1)
                {
                    return y0;
                }
                var slope = (y1 - y0) / (x1 - x0);
                return x0 == 0 ? y0 + slope * x : slope * x + (y0 - x0 * slope);
            }
            if (inside || (i == 0 && x < x0) || (i == segments - 1 && x > x1))
            {
                y = Line();
            }
        }
        return y;
    }

    private static double? Number(JsonElement element, string key) =>
        element.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
