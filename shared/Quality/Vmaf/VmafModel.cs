using System.Text.Json;

namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// A VMAF model in libvmaf's JSON format (e.g. vmaf_v0.6.1.json): which features it reads, their linear
/// normalisation, the embedded libsvm regressor, the optional score transform and the score clip.
/// The file is Netflix data we do not ship; <see cref="TryLoad"/> finds it or says where to get it.
/// </summary>
public sealed class VmafModel
{
    /// <summary>Environment variable naming the model file.</summary>
    public const string PathVariable = "AQS_VMAF_MODEL";

    private const string DefaultRelativePath = "quality-reference/model/vmaf_v0.6.1.json";

    private readonly int[] _featureIndex;      // model feature i -> index into VmafFeatures
    private readonly double[] _slopes;         // per model feature
    private readonly double[] _intercepts;
    private readonly LibSvmModel _svm;

    private VmafModel(string path, string[] featureNames, int[] featureIndex, double slope, double intercept,
        double[] slopes, double[] intercepts, bool linearRescale, LibSvmModel svm, (double Min, double Max)? clip,
        ScoreTransform? transform)
    {
        Path = path;
        FeatureNames = featureNames;
        _featureIndex = featureIndex;
        Slope = slope;
        Intercept = intercept;
        _slopes = slopes;
        _intercepts = intercepts;
        LinearRescale = linearRescale;
        _svm = svm;
        Clip = clip;
        Transform = transform;
    }

    /// <summary>Where the model was read from.</summary>
    public string Path { get; }

    /// <summary>The feature names as the model file lists them, in the regressor's input order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Output de-normalisation: score = (svm - Intercept) / Slope (norm_type linear_rescale).</summary>
    public double Slope { get; }

    public double Intercept { get; }

    public bool LinearRescale { get; }

    /// <summary>score_clip, or null when the model has none.</summary>
    public (double Min, double Max)? Clip { get; }

    /// <summary>The score transform, or null when absent or not enabled (libvmaf applies it only when "enabled": true).</summary>
    internal ScoreTransform? Transform { get; }

    /// <summary>
    /// The model path to use when none is given: <c>$AQS_VMAF_MODEL</c> if set, else
    /// <c>$AQS_SHARED_DATA/quality-reference/model/vmaf_v0.6.1.json</c>, else
    /// <c>../shared/data/quality-reference/model/vmaf_v0.6.1.json</c> beside the repository root (found upwards from the
    /// program and the working directory). Null when none of these exists.
    /// </summary>
    public static string? DefaultPath()
    {
        var fromEnv = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        var data = Environment.GetEnvironmentVariable("AQS_SHARED_DATA");
        if (!string.IsNullOrEmpty(data))
        {
            var candidate = System.IO.Path.Combine(data, DefaultRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Aqs.Quad.sln")))
                {
                    var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data", DefaultRelativePath));
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                    break;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Loads the model at <paramref name="path"/> (or <see cref="DefaultPath"/> when null). On failure returns false
    /// and one line in <paramref name="reason"/>: what is wrong and where to get the file.
    /// </summary>
    public static bool TryLoad(string? path, out VmafModel? model, out string reason)
    {
        model = null;
        path ??= DefaultPath();
        const string where = "get vmaf_v0.6.1.json from the Netflix/vmaf repository, folder model/ " +
                             "(https://github.com/Netflix/vmaf/tree/master/model), and pass its path or set " + PathVariable;
        if (path is null)
        {
            reason = $"VMAF unavailable: no model file found ({PathVariable} unset, no ../shared/data/{DefaultRelativePath}); {where}";
            return false;
        }
        if (!File.Exists(path))
        {
            reason = $"VMAF unavailable: model file {path} does not exist; {where}";
            return false;
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!TryParse(path, doc.RootElement, out model, out var why))
            {
                reason = $"VMAF unavailable: model file {path}: {why}";
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            reason = $"VMAF unavailable: model file {path} could not be read: {e.Message.ReplaceLineEndings(" ")}";
            return false;
        }
        reason = "";
        return true;
    }

    /// <summary>The model's score for one frame's features: normalise, SVM, de-normalise, transform, clip.</summary>
    public double Predict(in VmafFeatures features)
    {
        Span<double> x = stackalloc double[_featureIndex.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var value = features[_featureIndex[i]];
            x[i] = LinearRescale ? _slopes[i] * value + _intercepts[i] : value;
        }
        var score = _svm.Predict(x);
        if (LinearRescale)
        {
            score = (score - Intercept) / Slope;
        }
        if (Transform is { } transform)
        {
            score = transform.Apply(score);
        }
        if (Clip is { } clip)
        {
            score = score < clip.Min ? clip.Min : score;
            score = score > clip.Max ? clip.Max : score;
        }
        return score;
    }

    private static bool TryParse(string path, JsonElement root, out VmafModel? model, out string reason)
    {
        model = null;
        if (!root.TryGetProperty("model_dict", out var dict) || dict.ValueKind != JsonValueKind.Object)
        {
            reason = "no model_dict object (not a libvmaf JSON model)";
            return false;
        }
        var modelType = dict.TryGetProperty("model_type", out var mt) ? mt.GetString() : null;
        if (modelType != "LIBSVMNUSVR")
        {
            reason = $"model_type '{modelType}' is not supported (LIBSVMNUSVR only)";
            return false;
        }
        if (!dict.TryGetProperty("feature_names", out var namesElement) || namesElement.ValueKind != JsonValueKind.Array)
        {
            reason = "no feature_names";
            return false;
        }
        var names = namesElement.EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
        var indices = new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (!VmafFeatures.TryIndexOf(names[i], out indices[i]))
            {
                reason = $"feature '{names[i]}' is not computed here (adm2, motion2, vif_scale0..3 only)";
                return false;
            }
        }
        if (dict.TryGetProperty("feature_opts_dicts", out var opts) && opts.ValueKind == JsonValueKind.Array &&
            opts.EnumerateArray().Any(o => o.ValueKind == JsonValueKind.Object && o.EnumerateObject().Any()))
        {
            reason = "feature_opts_dicts (per-feature options) are not supported";
            return false;
        }
        var normType = dict.TryGetProperty("norm_type", out var nt) ? nt.GetString() : "none";
        if (normType is not ("linear_rescale" or "none"))
        {
            reason = $"norm_type '{normType}' is not supported";
            return false;
        }
        var linear = normType == "linear_rescale";
        var slopes = ReadNumbers(dict, "slopes");
        var intercepts = ReadNumbers(dict, "intercepts");
        if (linear && (slopes.Length != names.Length + 1 || intercepts.Length != names.Length + 1))
        {
            reason = $"slopes/intercepts need {names.Length + 1} values (output first, then one per feature)";
            return false;
        }
        if (!dict.TryGetProperty("model", out var svmText) || svmText.ValueKind != JsonValueKind.String)
        {
            reason = "no embedded libsvm model string";
            return false;
        }
        if (!LibSvmModel.TryParse(svmText.GetString()!, names.Length, out var svm, out reason))
        {
            return false;
        }
        (double, double)? clip = null;
        if (dict.TryGetProperty("score_clip", out var clipElement) && clipElement.ValueKind == JsonValueKind.Array)
        {
            var c = clipElement.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            if (c.Length >= 2)
            {
                clip = (c[0], c[1]);
            }
        }
        ScoreTransform? transform = null;
        if (dict.TryGetProperty("score_transform", out var st) && st.ValueKind == JsonValueKind.Object &&
            !ScoreTransform.TryParse(st, out transform, out reason))
        {
            return false;
        }
        model = new VmafModel(path, names, indices,
            linear ? slopes[0] : 1, linear ? intercepts[0] : 0,
            linear ? slopes[1..] : new double[names.Length], linear ? intercepts[1..] : new double[names.Length],
            linear, svm!, clip, transform);
        reason = "";
        return true;
    }

    private static double[] ReadNumbers(JsonElement dict, string key) =>
        dict.TryGetProperty(key, out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Select(x => x.GetDouble()).ToArray()
            : [];
}
