using System.Net;
using System.Net.Sockets;
using Aqs.Orchestration.Live;
using Aqs.Orchestration.Metrics;

namespace Aqs.Orchestration.Tests.Metrics;

public class RunMetricsTests
{
    [Test]
    public async Task The_metrics_endpoint_serves_the_dashboards_figures_by_session()
    {
        var port = FreePort();
        using var metrics = new RunMetrics(port);
        metrics.Record("s1", new TelemetrySample
        {
            T = 3,
            EstimateBps = 3_120_000,
            Height = 540,
            Vmaf = 91.5,
            LossPct = 2,
            CpuPct = new() { ["kernel-encode"] = 87.5 },
            RingFill = new() { ["enc"] = 0.25 },
            Restarts = 1,
        });

        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("aqs_estimate_bps{session=\"s1\"} 3120000"));
            Assert.That(text, Does.Contain("aqs_rung_height{session=\"s1\"} 540"));
            Assert.That(text, Does.Contain("aqs_vmaf{session=\"s1\"} 91.5"));
            Assert.That(text, Does.Contain("aqs_loss_ratio{session=\"s1\"} 0.02"));
            Assert.That(text, Does.Contain("aqs_kernel_cpu_percent{session=\"s1\",kernel=\"kernel-encode\"} 87.5"));
            Assert.That(text, Does.Contain("aqs_ring_fill_ratio{session=\"s1\",ring=\"enc\"} 0.25"));
            Assert.That(text, Does.Contain("aqs_restarts{session=\"s1\"} 1"));
            Assert.That(text, Does.Not.Contain("aqs_capacity_bps{session=\"s1\"}"), "a figure nobody measured is not exported as 0");
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
