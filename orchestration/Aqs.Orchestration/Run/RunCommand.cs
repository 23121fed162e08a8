using System.CommandLine;
using Aqs.Kernel.Encode;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Orchestration.Run;

/// <summary><c>aqs run</c>: the whole pipeline in a fresh session, then a summary of what it achieved.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var duration = new Option<string>("--duration") { Description = "how long to run (10s, 2m, ...)", DefaultValueFactory = _ => "10s" };
        var input = new Option<string>("--input") { Description = "Kernel B's input: synthetic[:options] (default), a .y4m/.yuv file, any file libavformat opens, a URL, x11grab:DISPLAY or v4l2:/dev/videoN", DefaultValueFactory = _ => "synthetic" };
        var json = new Option<string?>("--json") { Description = "also write the summary as JSON to this file" };
        var session = new Option<string?>("--session") { Description = "session name (default: a fresh random one)" };
        var net = new Option<string?>("--net") { Description = "network impairment for Kernel A, e.g. loss:2%,delay:30ms" };
        var codec = new Option<string?>("--codec") { Description = "encoder (libx264 default; see kernel-encode --list-encoders)" };
        var size = new Option<string?>("--size") { Description = "synthetic source size WxH (default 1280x720)" };
        var fps = new Option<double?>("--fps") { Description = "synthetic source frame rate (default 60)" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress line" };
        var refCompression = new Option<string?>("--ref-compression") { Description = "store reference frames losslessly compressed: none, lz4 or zstd" };
        var kernelArgs = new Option<string[]>("--kernel-arg") { Description = "extra argument for one kernel, as KERNEL:ARGS (e.g. encode:--preset=faster)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("run", "run the four-kernel pipeline and print what it achieved")
        {
            duration, input, json, session, net, codec, size, fps, quiet, refCompression, kernelArgs,
        };
        var aqs = new AqsFlags();
        aqs.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new RunOptions
            {
                Duration = DurationParser.Parse(parse.GetValue(duration)!, "--duration"),
                Input = parse.GetValue(input)!,
                JsonPath = parse.GetValue(json),
                Session = parse.GetValue(session),
                Network = parse.GetValue(net),
                EncodeArguments = aqs.Forward(parse),
                Codec = parse.GetValue(codec),
                Size = parse.GetValue(size),
                Fps = parse.GetValue(fps),
                Quiet = parse.GetValue(quiet),
                RefCompression = parse.GetValue(refCompression),
                KernelArguments = parse.GetValue(kernelArgs) ?? [],
            };
            // synthetic[:options], capture (x11grab:, v4l2:) and URLs are not files; anything else must exist.
            if (!options.Input.Contains(':', StringComparison.Ordinal) && options.Input != "synthetic" && !File.Exists(options.Input))
            {
                throw new UserFacingException($"--input: {options.Input} does not exist", CommandLineHost.ExitUsage);
            }
            using var lifetime = new KernelLifetime();
            var run = new PipelineRun(options, Console.Error);
            var result = run.Execute(lifetime.Stopping);
            Console.Out.Write(result.Render());
            if (options.JsonPath is { } path)
            {
                File.WriteAllText(path, result.ToJson());
            }
            return result.Succeeded ? 0 : 1;
        });
        return command;
    }
}
