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
        var codec = new Option<string>("--codec") { Description = "encoder name (libx264, libx265, libsvtav1, libaom-av1, h264_nvenc, ...) or auto", DefaultValueFactory = _ => "libx264" };
        var bitrate = new Option<long>("--bitrate") { Description = "target bitrate in bit/s", DefaultValueFactory = _ => 4_000_000 };
        var preset = new Option<string>("--preset") { Description = "encoder speed preset", DefaultValueFactory = _ => "veryfast" };
        var threads = new Option<int>("--threads") { Description = "encoder threads (0 = codec default)", DefaultValueFactory = _ => 0 };
        var gop = new Option<int>("--keyint") { Description = "frames between keyframes (0 = codec default)", DefaultValueFactory = _ => 120 };
        var encSlotSize = new Option<int>("--enc-slot-size") { Description = "bytes a slot of the enc ring holds (largest encoded frame)", DefaultValueFactory = _ => 4 << 20 };
        var listEncoders = new Option<bool>("--list-encoders") { Description = "print which encoders this machine really has, with bit depths, and exit" };
        var root = new RootCommand("AQS Quad Kernel C (encode): reads the raw ring, encodes with libavcodec, publishes the enc ring")
        {
            codec, bitrate, preset, threads, gop, encSlotSize, listEncoders,
        };
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var bitrateBps = parse.GetValue(bitrate);
            if (bitrateBps < 10_000)
            {
                throw new UserFacingException($"--bitrate: {bitrateBps} bit/s is below the 10000 bit/s floor", CommandLineHost.ExitUsage);
            }
            var settings = new EncodeSettings
            {
                Context = common.Read(parse),
                Codec = parse.GetValue(codec)!,
                BitrateBps = bitrateBps,
                Preset = parse.GetValue(preset)!,
                Threads = parse.GetValue(threads),
                KeyframeInterval = parse.GetValue(gop),
                EncSlotSize = parse.GetValue(encSlotSize),
            };
            using var lifetime = new KernelLifetime();
            return new EncodeKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-encode", root, args);
    }
}
