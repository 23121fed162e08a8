using System.Globalization;

namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// A libsvm regression model (nu-SVR or epsilon-SVR with an RBF kernel) parsed from the text libsvm's
/// <c>svm_save_model</c> writes, which libvmaf embeds as the "model" string of its JSON model files.
/// Support vectors are stored dense (a missing index is 0, as in libsvm's sparse kernel).
/// </summary>
internal sealed class LibSvmModel
{
    private readonly double _gamma;
    private readonly double _rho;
    private readonly double[] _coefficients;
    private readonly double[] _supportVectors; // row-major, _dimensions per vector
    private readonly int _dimensions;

    private LibSvmModel(double gamma, double rho, double[] coefficients, double[] supportVectors, int dimensions)
    {
        _gamma = gamma;
        _rho = rho;
        _coefficients = coefficients;
        _supportVectors = supportVectors;
        _dimensions = dimensions;
    }

    public int SupportVectorCount => _coefficients.Length;

    public static bool TryParse(string text, int dimensions, out LibSvmModel? model, out string reason)
    {
        model = null;
        string? svmType = null, kernel = null;
        double gamma = double.NaN, rho = double.NaN;
        var coefficients = new List<double>();
        var vectors = new List<double>();
        var lines = text.Split('\n');
        var i = 0;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line == "SV")
            {
                i++;
                break;
            }
            var space = line.IndexOf(' ');
            var key = space < 0 ? line : line[..space];
            var value = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (key)
            {
                case "svm_type": svmType = value; break;
                case "kernel_type": kernel = value; break;
                case "gamma": gamma = ParseDouble(value); break;
                case "rho": rho = ParseDouble(value.Split(' ')[0]); break;
            }
        }
        if (svmType is not ("nu_svr" or "epsilon_svr"))
        {
            reason = $"libsvm model type '{svmType}' is not supported (nu_svr or epsilon_svr only)";
            return false;
        }
        if (kernel != "rbf")
        {
            reason = $"libsvm kernel '{kernel}' is not supported (rbf only)";
            return false;
        }
        if (double.IsNaN(gamma) || double.IsNaN(rho))
        {
            reason = "libsvm model lacks gamma or rho";
            return false;
        }
        for (; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            coefficients.Add(ParseDouble(parts[0]));
            var row = new double[dimensions];
            for (var p = 1; p < parts.Length; p++)
            {
                var colon = parts[p].IndexOf(':');
                var index = colon > 0 ? int.Parse(parts[p][..colon], CultureInfo.InvariantCulture) : -1;
                if (index < 1 || index > dimensions)
                {
                    reason = $"libsvm support vector {coefficients.Count} has feature index {index} outside 1..{dimensions}";
                    return false;
                }
                row[index - 1] = ParseDouble(parts[p][(colon + 1)..]);
            }
            vectors.AddRange(row);
        }
        if (coefficients.Count == 0)
        {
            reason = "libsvm model has no support vectors";
            return false;
        }
        model = new LibSvmModel(gamma, rho, coefficients.ToArray(), vectors.ToArray(), dimensions);
        reason = "";
        return true;
    }

    /// <summary>sum_i coef_i * exp(-gamma * |x - sv_i|^2) - rho, summed in libsvm's order.</summary>
    public double Predict(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var s = 0; s < _coefficients.Length; s++)
        {
            var sv = _supportVectors.AsSpan(s * _dimensions, _dimensions);
            var distance = 0.0;
            for (var d = 0; d < _dimensions; d++)
            {
                var diff = x[d] - sv[d];
                distance += diff * diff;
            }
            sum += _coefficients[s] * Math.Exp(-_gamma * distance);
        }
        return sum - _rho;
    }

    private static double ParseDouble(string text) =>
        double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
