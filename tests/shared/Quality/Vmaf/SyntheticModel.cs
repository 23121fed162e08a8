using System.Globalization;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>Small libvmaf-format models written by the tests themselves (no Netflix data needed).</summary>
internal static class SyntheticModel
{
    /// <summary>
    /// A model over the six v0.6.1 features whose regressor is a single RBF support vector at the origin with
    /// coefficient <paramref name="coef"/>: svm(x) = coef * exp(-gamma |x|^2) - rho.
    /// </summary>
    public static string Json(double coef = 2.0, double gamma = 0.5, double rho = -1.0, string clip = "[0.0, 100.0]",
        string transform = "{\"p0\": 1.0, \"p1\": 2.0, \"p2\": 0.0, \"out_gte_in\": \"true\"}")
    {
        var svm = string.Create(CultureInfo.InvariantCulture,
            $"svm_type nu_svr\\nkernel_type rbf\\ngamma {gamma}\\nnr_class 2\\ntotal_sv 1\\nrho {rho}\\nSV\\n{coef} 1:0 \\n");
        return $$"""
        {
          "param_dict": {},
          "model_dict": {
            "score_transform": {{transform}},
            "norm_type": "linear_rescale",
            "score_clip": {{clip}},
            "feature_names": ["VMAF_integer_feature_adm2_score", "VMAF_integer_feature_motion2_score",
              "VMAF_integer_feature_vif_scale0_score", "VMAF_integer_feature_vif_scale1_score",
              "VMAF_integer_feature_vif_scale2_score", "VMAF_integer_feature_vif_scale3_score"],
            "slopes": [0.01, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0],
            "intercepts": [-0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            "model_type": "LIBSVMNUSVR",
            "model": "{{svm}}"
          }
        }
        """;
    }

    public static VmafModel Load(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), "aqs-vmaf-model-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        try
        {
            Assert.That(VmafModel.TryLoad(path, out var model, out var reason), Is.True, reason);
            return model!;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
