using Aqs.Kernel.Network.Wire;
using Aqs.Kernel.Preprocess.Sources;
using SharpFuzz;

namespace Aqs.Fuzz;

/// <summary>
/// Coverage-guided fuzzing targets for afl++ through SharpFuzz (README "Fuzzing"). Each target takes afl's input,
/// lets the documented refusal through (a one-line <see cref="SourceException"/>, a counted drop) and lets anything
/// else escape: an escaping exception is what afl records as a crash.
/// <c>aqs-fuzz y4m|datagram</c> runs under afl-fuzz; <c>aqs-fuzz y4m|datagram FILE...</c> replays inputs once each.
/// </summary>
public static class Program
{
    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), $"aqs-fuzz-{Environment.ProcessId}.y4m");

    public static int Main(string[] args)
    {
        if (args is ["seeds", var folder])
        {
            WriteSeeds(folder);
            return 0;
        }
        if (args.Length == 0 || Target(args[0]) is not { } target)
        {
            Console.Error.WriteLine("usage: aqs-fuzz y4m|datagram [FILE...] (no FILE: read inputs from afl-fuzz) | aqs-fuzz seeds DIR (starting inputs in DIR/y4m, DIR/datagram)");
            return 2;
        }
        try
        {
            if (args.Length == 1)
            {
                Fuzzer.OutOfProcess.Run(target);
                return 0;
            }
            foreach (var file in args.Skip(1))
            {
                using var input = File.OpenRead(file);
                target(input);
                Console.WriteLine($"{file}: ok");
            }
            return 0;
        }
        finally
        {
            File.Delete(Scratch);
        }
    }

    private static Action<Stream>? Target(string name) => name switch
    {
        "y4m" => Y4m,
        "datagram" => Datagram,
        _ => null,
    };

    /// <summary>A Y4M file: header, frame markers, payloads; read to the end as Kernel B would.</summary>
    private static void Y4m(Stream input)
    {
        using (var file = File.Create(Scratch))
        {
            input.CopyTo(file);
        }
        try
        {
            using var source = Y4mSource.Open(Scratch);
            if (source.Layout.FrameSize > 64 << 20)
            {
                return; // the kernel sizes its ring slots from this; bounded by the header's own limits
            }
            var frame = new byte[source.Layout.FrameSize];
            for (var i = 0; i < 1000 && source.TryReadFrame(frame, out _); i++)
            {
            }
        }
        catch (SourceException)
        {
            // Refused in one line: the expected outcome for a bad file.
        }
    }

    /// <summary>Starting inputs: two small valid Y4M files, and genuine sealed datagrams (authenticated only, and encrypted).</summary>
    private static void WriteSeeds(string folder)
    {
        var y4m = Directory.CreateDirectory(Path.Combine(folder, "y4m")).FullName;
        File.WriteAllBytes(Path.Combine(y4m, "420.y4m"), [.. "YUV4MPEG2 W4 H4 F30:1 Ip A1:1 C420jpeg\nFRAME\n"u8, .. new byte[24], .. "FRAME\n"u8, .. new byte[24]]);
        File.WriteAllBytes(Path.Combine(y4m, "444p10.y4m"), [.. "YUV4MPEG2 W2 H2 F25:1 C444p10 XYSCSS=444P10\nFRAME\n"u8, .. new byte[24]]);
        var datagrams = Directory.CreateDirectory(Path.Combine(folder, "datagram")).FullName;
        foreach (var encrypt in new[] { false, true })
        {
            using var sender = new DatagramSealer(Key, sessionId: 0x51, EndpointRole.Sender, encrypt);
            var plain = new byte[WireFormat.HeaderLength + 32];
            PacketHeaderCodec.Write(new PacketHeader { Kind = PacketKind.Media, DataShards = 1, ShardSize = 32, PayloadLength = 32, FrameLength = 32, BlockCount = 1 }, plain);
            var sealedBytes = new byte[plain.Length + WireFormat.TagLength];
            var n = sender.Seal(plain, sealedBytes, sendTimeUs: 1, out _);
            File.WriteAllBytes(Path.Combine(datagrams, encrypt ? "encrypted.bin" : "authenticated.bin"), sealedBytes[..n]);
        }
    }

    private static readonly byte[] Key = Enumerable.Range(0, DatagramSealer.KeyLength).Select(i => (byte)i).ToArray();

    /// <summary>One datagram as Kernel A's receive side first sees it: header parse, then the sealer's checks.</summary>
    private static void Datagram(Stream input)
    {
        using var memory = new MemoryStream();
        input.CopyTo(memory);
        var bytes = memory.ToArray();
        PacketHeaderCodec.TryParse(bytes, out _);
        using var sealer = new DatagramSealer(Key, sessionId: 0x51, EndpointRole.Receiver, encrypt: false);
        sealer.Open(bytes, out _);
    }
}
