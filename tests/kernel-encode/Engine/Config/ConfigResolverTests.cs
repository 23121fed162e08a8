using Aqs.Engine.Config;

namespace Aqs.Kernel.Encode.Tests.Engine.Config;

public class ConfigResolverTests
{
    private static readonly SourceInfo Source720p60 = new(1280, 720, 60, 8);
    private static readonly int[] X264Depths = [8, 10];

    private static AqsConfig With(params (string Name, string Value)[] settings) =>
        settings.Aggregate(AqsConfig.Empty, (c, s) => AqsSettings.Find(s.Name)!.Apply(c, s.Value));

    [Test]
    public void The_default_ladder_spans_the_source_down_to_half_with_even_decimations_at_the_source_depth()
    {
        var r = AqsConfig.Empty.Resolve(Source720p60, X264Depths);
        Assert.Multiple(() =>
        {
            Assert.That(r.Mode, Is.EqualTo(AqsMode.Quality));
            Assert.That(r.Heights, Is.EqualTo(new[] { 720, 540, 360 }));
            Assert.That(r.FrameRates, Is.EqualTo(new[] { 60.0, 30.0 }), "30..120 fps, never above the source, by whole decimations");
            Assert.That(r.BitDepths, Is.EqualTo(new[] { 8 }), "an 8-bit source is not encoded deeper");
        });
    }

    [Test]
    public void Conference_never_goes_below_720p_and_runs_at_30_fps_within_66_ms()
    {
        var r = With(("mode", "conference")).Resolve(new SourceInfo(1920, 1080, 60, 8), X264Depths);
        Assert.Multiple(() =>
        {
            Assert.That(r.Heights.Min(), Is.EqualTo(720));
            Assert.That(r.FrameRates, Is.EqualTo(new[] { 30.0 }));
            Assert.That(r.LatencyBudgetMs, Is.EqualTo(66));
        });
    }

    [Test]
    public void Sports_holds_90_to_120_fps_of_a_120_fps_source_and_the_source_rate_of_a_slower_one_with_a_notice()
    {
        var fast = With(("mode", "sports")).Resolve(new SourceInfo(1920, 1080, 120, 8), X264Depths);
        var slow = With(("mode", "sports")).Resolve(Source720p60, X264Depths);
        Assert.Multiple(() =>
        {
            Assert.That(fast.FrameRates, Is.EqualTo(new[] { 120.0 }), "120/2 = 60 is below sports' 90 fps floor");
            Assert.That(slow.FrameRates, Is.EqualTo(new[] { 60.0 }));
            Assert.That(slow.Notices, Has.One.Contains("above the source's 60 fps"));
        });
    }

    [Test]
    public void A_fixed_scale_or_depth_pins_that_knob()
    {
        var r = With(("spatial-scale", "0.5"), ("bitdepth", "10")).Resolve(new SourceInfo(1920, 1080, 30, 10), X264Depths);
        Assert.That((r.Heights, r.BitDepths), Is.EqualTo((new[] { 540 }, new[] { 10 })));
    }

    [Test]
    public void Aqs_off_keeps_one_rung_at_the_source_and_the_given_bitrate()
    {
        var r = With(("aqs", "off"), ("bitrate", "2500000")).Resolve(Source720p60, X264Depths);
        Assert.That((r.Enabled, r.Heights, r.FrameRates, r.StartBitrateBps), Is.EqualTo((false, new[] { 720 }, new[] { 60.0 }, 2_500_000L)));
    }

    [TestCase("temporal-min", "90", "temporal-max", "60", "--temporal-min 90 is above --temporal-max 60")]
    [TestCase("spatial-floor", "1440p", "spatial-max", "720p", "--spatial-floor 1440p is above --spatial-max 720p")]
    [TestCase("aqs", "off", "mode", "sports", "--mode steers the AQS engine, which --aqs off turns off: drop one of them")]
    [TestCase("aqs", "off", "vmaf-target", "90", "--vmaf-target steers the AQS engine, which --aqs off turns off: drop one of them")]
    public void Contradictory_settings_are_one_line_naming_both(string a, string av, string b, string bv, string message)
    {
        var config = With((a, av), (b, bv));
        var error = Assert.Throws<AqsConfigException>(config.CheckContradictions);
        Assert.That(error!.Message, Is.EqualTo(message));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void A_depth_the_encoder_lacks_is_refused_naming_what_it_has()
    {
        var error = Assert.Throws<AqsConfigException>(() => With(("bitdepth", "12")).Resolve(Source720p60, X264Depths));
        Assert.That(error!.Message, Is.EqualTo("--bitdepth 12: this encoder takes 8, 10 bit here"));
    }

    [TestCase("mode", "fastest", "--mode: 'fastest' is not quality, latency, mobile, sports or conference")]
    [TestCase("spatial-floor", "tall", "--spatial-floor: 'tall' is not a resolution such as 720p, 1440p, 4k or a line count 16-8640")]
    [TestCase("vmaf-target", "101", "--vmaf-target: '101' is not a number from 0 to 100")]
    [TestCase("max-frametime", "soon", "--max-frametime: 'soon' is not a duration such as 8ms, 500us or 0.1s")]
    [TestCase("spatial-scale", "2", "--spatial-scale: '2' is not a number from 0.5 to 1")]
    public void A_bad_value_is_one_line_naming_the_flag_and_what_it_takes(string name, string value, string message)
    {
        var error = Assert.Throws<AqsConfigException>(() => AqsSettings.Find(name)!.Apply(AqsConfig.Empty, value));
        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [TestCase("720p", 720)]
    [TestCase("1440p", 1440)]
    [TestCase("4k", 2160)]
    [TestCase("8K", 4320)]
    [TestCase("1080", 1080)]
    public void Resolutions_read_as_users_write_them(string text, int lines) =>
        Assert.That(AqsSettings.Lines("spatial-floor", text), Is.EqualTo(lines));

    [Test]
    public void The_seed_tuning_guide_commands_resolve()
    {
        // Ultimate quality, competitive gaming and mobile streaming, as the seed writes them (8K and 1440p sources).
        var quality = With(("mode", "quality"), ("spatial-scale", "1.0"), ("temporal-min", "120"), ("bitdepth", "12"), ("color-range", "full"), ("vmaf-target", "98"))
            .Resolve(new SourceInfo(7680, 4320, 120, 12), [8, 10, 12]);
        var gaming = With(("mode", "latency"), ("max-frametime", "8ms"), ("spatial-floor", "1440p"), ("enable-nvidia-reflex", "on"), ("disable-advanced-analysis", "on"))
            .Resolve(new SourceInfo(2560, 1440, 120, 8), X264Depths);
        var mobile = With(("mode", "mobile"), ("spatial-max", "4k"), ("temporal-max", "60"), ("bitrate-cap", "25000"), ("power-limit", "15w"))
            .Resolve(new SourceInfo(3840, 2160, 60, 8), X264Depths);
        Assert.Multiple(() =>
        {
            Assert.That((quality.Heights.Single(), quality.FrameRates.Single(), quality.BitDepths.Single(), quality.VmafTarget, quality.ColorRange),
                Is.EqualTo((4320, 120.0, 12, 98.0, ColorRangeChoice.Full)));
            Assert.That((gaming.Heights.Single(), gaming.MaxFrametimeMs, gaming.AdvancedAnalysis, gaming.NvidiaReflex), Is.EqualTo((1440, 8.0, false, true)));
            Assert.That((mobile.Heights.Max(), mobile.FrameRates.Max(), mobile.BitrateCapBps, mobile.PowerLimitW), Is.EqualTo((2160, 60.0, 25_000_000L, 15.0)));
        });
    }
}
