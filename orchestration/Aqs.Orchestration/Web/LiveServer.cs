using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Aqs.Orchestration.Control;
using Aqs.Orchestration.Live;
using Aqs.Orchestration.Reports;
using Aqs.Orchestration.Run;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aqs.Orchestration.Web;

/// <summary>
/// <c>aqs run --web</c>: a live page in the spirit of chrome://webrtc-internals, served by Kestrel on loopback.
/// <code>
/// GET  /               the page (uPlot time series, preview, controls)
/// GET  /api/charts     the chart definitions (the report's, <see cref="Charts"/>)
/// GET  /api/history    every point so far and the decisions, for a page opened mid-run
/// GET  /events         server-sent events: "sample" once a second, "decision" when the engine moves a knob
/// GET  /preview.png    the newest picture entering the encoder
/// POST /api/params     {"vmaf-target": "90", ...}: UpdateParams through the control plane (<see cref="ParamsUpdate"/>)
/// </code>
/// </summary>
public sealed class LiveServer : IDisposable
{
    private static readonly JsonSerializerOptions Json = TelemetrySample.Json;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _closing = new();

    private LiveServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Where the page is, with the port Kestrel really bound (a request for port 0 gets a free one).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public static LiveServer Start(PipelineRun run, string bind, int port, ILoggerFactory logs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseUrls($"http://{bind}:{port}");
        var app = builder.Build();
        var server = new LiveServer(app);
        server.Map(run);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            throw new UserFacingException($"--web: cannot listen on {bind}:{port}: {ex.Message}", CommandLineHost.ExitUsage);
        }
        server.Address = new Uri(app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    private void Map(PipelineRun run)
    {
        var uplot = WebAssets.UplotDirectory();
        _app.MapGet("/", () => Results.Content(Resource("index.html").Replace("{{session}}", run.Session, StringComparison.Ordinal), "text/html; charset=utf-8"));
        _app.MapGet("/live.js", () => Results.Content(Resource("live.js"), "text/javascript"));
        _app.MapGet("/uplot/{file}", (string file) =>
            uplot is not null && file is "uPlot.iife.min.js" or "uPlot.min.css"
                ? Results.File(Path.Combine(uplot, file), file.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript")
                : Results.NotFound("uPlot is not installed: run orchestration/aqs setup (npm install in orchestration/web)"));
        _app.MapGet("/api/charts", () => Results.Json(Charts.All.Select(c => new { c.Id, c.Title, c.Unit, Series = c.Series.Select(s => new { s.Name, s.Key }) }), Json));
        _app.MapGet("/api/history", () => Results.Json(new
        {
            Session = run.Session,
            Points = run.Telemetry.Snapshot().Select(Charts.Point),
            Decisions = run.Telemetry.Decisions().Select(DecisionView),
            Latest = run.Telemetry.Latest,
        }, Json));
        _app.MapGet("/preview.png", () => PreviewImage.Png(run.Session, 480) is { } png ? Results.File(png, "image/png") : Results.NoContent());
        _app.MapPost("/api/params", async (HttpContext context) =>
        {
            Dictionary<string, string>? values;
            try
            {
                values = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(context.Request.Body);
            }
            catch (JsonException ex)
            {
                return Results.BadRequest(new { error = "body is not a JSON object of strings: " + ex.Message });
            }
            try
            {
                var command = ParamsUpdate.Build(values ?? []);
                run.Send(command);
                return Results.Json(new { sent = values }, Json);
            }
            catch (UserFacingException ex)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
        });
        _app.MapGet("/events", (Func<HttpContext, Task>)(context => Events(context, run.Telemetry)));
    }

    private async Task Events(HttpContext context, Telemetry telemetry)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var queue = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnSample(TelemetrySample s) => queue.Writer.TryWrite($"event: sample\ndata: {JsonSerializer.Serialize(new { point = Charts.Point(s), latest = s }, Json)}\n\n");
        void OnDecision(EncoderDecision d) => queue.Writer.TryWrite($"event: decision\ndata: {JsonSerializer.Serialize(DecisionView(d), Json)}\n\n");
        telemetry.Sampled += OnSample;
        telemetry.Decided += OnDecision;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _closing.Token);
        try
        {
            await context.Response.WriteAsync(": connected\n\n", stop.Token);
            await context.Response.Body.FlushAsync(stop.Token);
            await foreach (var message in queue.Reader.ReadAllAsync(stop.Token))
            {
                await context.Response.WriteAsync(message, stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            telemetry.Sampled -= OnSample;
            telemetry.Decided -= OnDecision;
        }
    }

    private static object DecisionView(EncoderDecision d) => new
    {
        T = d.TimestampNs,
        d.Width,
        d.Height,
        d.Fps,
        d.BitDepth,
        d.BitrateBps,
        d.Mode,
        d.Preset,
        d.Reason,
        d.FrameId,
    };

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("web/" + name)
            ?? throw new InvalidOperationException($"web/{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        _closing.Cancel();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _closing.Dispose();
    }
}
