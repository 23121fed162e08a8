using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;
using Aqs.Shared.Media;

namespace Aqs.Kernel.Encode;

public static class Program
{
    public static int Main(string[] args)
    {
        // --list-encoders needs no session: answer it before the session option is required.
        if (args.Contains("--list-encoders"))
        {
            Console.Out.Write(EncoderCatalog.Describe());
            return 0;
        }
        var common = new CommonOptions();
        var aqs = new AqsFlags();
        var codec = new Option<string>("--codec") { Description = "encoder name (libx264, libx265, libsvtav1, libaom-av1, h264_nvenc, ...) or auto", DefaultValueFactory = _ => "libx264" };
        var preset = new Option<string?>("--preset") { Description = "encoder speed preset to start from (default: the mode's; the engine goes lighter under load)" };
        var threads = new Option<int>("--threads") { Description = "encoder threads (0 = codec default)", DefaultValueFactory = _ => 0 };
        var gop = new Option<int>("--keyint") { Description = "frames between keyframes with --aqs off (0 = codec default); with AQS on, intra refresh replaces periodic keyframes", DefaultValueFactory = _ => 120 };
        var encSlotSize = new Option<int>("--enc-slot-size") { Description = "bytes a slot of the enc ring holds (largest encoded frame)", DefaultValueFactory = _ => 4 << 20 };
        var decisionLog = new Option<string?>("--decision-log") { Description = "write every engine decision as one JSON line (inputs, knobs, reason) to this file" };
        var gpu = new Option<string>("--gpu") { Description = "auto|off: content analysis on a CUDA or OpenCL GPU when one is present", DefaultValueFactory = _ => "auto" };
        var listEncoders = new Option<bool>("--list-encoders") { Description = "print which encoders this machine really has, with bit depths, and exit" };
        var root = new RootCommand("AQS Quad Kernel C (encode): reads the raw ring, runs the AQS engine (content analysis, rung, frame rate, bit depth, bitrate), encodes with libavcodec, publishes the enc ring")
        {
            codec, preset, threads, gop, encSlotSize, decisionLog, gpu, listEncoders,
        };
        aqs.AddTo(root);
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var settings = new EncodeSettings
            {
                Context = common.Read(parse),
                Codec = parse.GetValue(codec)!,
                Aqs = aqs.Read(parse),
                Preset = parse.GetValue(preset),
                Threads = parse.GetValue(threads),
                KeyframeInterval = parse.GetValue(gop),
                EncSlotSize = parse.GetValue(encSlotSize),
                DecisionLog = parse.GetValue(decisionLog),
                Gpu = parse.GetValue(gpu) switch
                {
                    "auto" => true,
                    "off" => false,
                    var other => throw new UserFacingException($"--gpu: expected auto or off, got '{other}'", CommandLineHost.ExitUsage),
                },
            };
            using var lifetime = new KernelLifetime();
            return new EncodeKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-encode", root, args);
    }
}
