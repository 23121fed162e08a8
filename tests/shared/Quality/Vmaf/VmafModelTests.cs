using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

public class VmafModelTests
{
    private static readonly VmafFeatures Some = new(0.9, 3.0, 0.5, 0.8, 0.9, 0.95);

    // Hand evaluation of SyntheticModel: x_i = slope_i * f_i + intercept_i, svm = coef * exp(-gamma |x|^2) - rho,
    // score = (svm - intercept_0) / slope_0.
    private static double Expected(VmafFeatures f, double coef = 2.0, double gamma = 0.5, double rho = -1.0)
    {
        double[] x = [1.0 * f.Adm2, 0.5 * f.Motion2, f.Vif0, f.Vif1, f.Vif2, f.Vif3];
        var svm = coef * Math.Exp(-gamma * x.Sum(v => v * v)) - rho;
        return (svm - -0.5) / 0.01;
    }

    [Test]
    public void Model_normalises_features_and_evaluates_the_rbf_regressor()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json(clip: "[-1000.0, 1000.0]"));
        Assert.That(model.Predict(Some), Is.EqualTo(Expected(Some)).Within(1e-9));
        Assert.That(model.FeatureNames, Has.Count.EqualTo(6));
    }

    [Test]
    public void Model_clips_scores_to_its_range()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json(clip: "[0.0, 100.0]"));
        Assert.That(Expected(Some), Is.GreaterThan(100));
        Assert.That(model.Predict(Some), Is.EqualTo(100.0));
    }

    [Test]
    public void Score_transform_applies_only_when_enabled_like_libvmaf()
    {
        var plain = SyntheticModel.Load(SyntheticModel.Json(clip: "[-1000.0, 1000.0]"));
        var enabled = SyntheticModel.Load(SyntheticModel.Json(clip: "[-1000.0, 1000.0]",
            transform: "{\"enabled\": true, \"p0\": 1.0, \"p1\": 2.0, \"p2\": 0.0, \"out_gte_in\": \"true\"}"));
        var raw = Expected(Some);
        Assert.Multiple(() =>
        {
            Assert.That(plain.Predict(Some), Is.EqualTo(raw).Within(1e-9));
            Assert.That(enabled.Predict(Some), Is.EqualTo(1.0 + 2.0 * raw).Within(1e-9));
        });
    }

    [Test]
    public void Missing_model_gives_one_line_saying_where_to_get_it()
    {
        var ok = VmafModel.TryLoad("/nonexistent/vmaf_v0.6.1.json", out var model, out var reason);
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(model, Is.Null);
            Assert.That(reason, Does.Contain("Netflix/vmaf").And.Contain("model/"));
            Assert.That(reason, Does.Not.Contain("\n"));
        });
    }

    [Test]
    public void Model_with_unknown_feature_is_refused_with_its_name()
    {
        var path = Path.Combine(Path.GetTempPath(), "aqs-vmaf-model-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, SyntheticModel.Json().Replace("VMAF_integer_feature_adm2_score", "VMAF_feature_cambi_score"));
        try
        {
            Assert.That(VmafModel.TryLoad(path, out _, out var reason), Is.False);
            Assert.That(reason, Does.Contain("cambi"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Garbage_file_is_refused_in_one_line()
    {
        var path = Path.Combine(Path.GetTempPath(), "aqs-vmaf-model-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "{ not json");
        try
        {
            Assert.That(VmafModel.TryLoad(path, out _, out var reason), Is.False);
            Assert.That(reason, Does.StartWith("VMAF unavailable").And.Not.Contain("\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Real_v061_model_loads_with_its_six_features()
    {
        if (!VmafModel.TryLoad(null, out var model, out var reason))
        {
            Assert.Ignore(reason);
        }
        Assert.Multiple(() =>
        {
            Assert.That(model!.FeatureNames, Is.EqualTo(new[]
            {
                "VMAF_integer_feature_adm2_score", "VMAF_integer_feature_motion2_score",
                "VMAF_integer_feature_vif_scale0_score", "VMAF_integer_feature_vif_scale1_score",
                "VMAF_integer_feature_vif_scale2_score", "VMAF_integer_feature_vif_scale3_score",
            }));
            Assert.That(model.Clip, Is.EqualTo((0.0, 100.0)));
            // Perfect features and no motion: the model's near-top score.
            Assert.That(model.Predict(new VmafFeatures(1, 0, 1, 1, 1, 1)), Is.InRange(95.0, 100.0));
        });
    }
}
