using System.Globalization;
using Aqs.Kernel.Network.Emulation;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network.Egress;

/// <summary>
/// One <c>--egress</c> value. <c>rtsp://HOST:PORT/PATH</c> serves RTP to players (HOST is the address to listen on,
/// 0.0.0.0 for all); it and <c>rtp://HOST:PORT</c> take our own query keys: <c>sdp=FILE</c> (default
/// <c>aqs-rtp-PORT.sdp</c> in the working folder), <c>pkt_size=N</c> (default 1200) and <c>net=SPEC</c> (the impairment
/// emulator on this egress alone, the <c>--net</c> syntax with ';' or ',' between parts). <c>srt://</c>, <c>rist://</c>
/// and <c>udp://</c> carry MPEG-TS and go to libavformat as they are (their query is the protocol's options, as
/// the ffmpeg command line takes them); udp gets <c>pkt_size=1316</c> (7 TS packets) and srt <c>linger=1</c> (closing
/// waits up to 1 s for unsent data, so the last frames reach the receiver) unless the URL names them.
/// </summary>
public sealed record EgressTarget(EgressKind Kind, string Url, string Name)
{
    public string? SdpPath { get; init; }
    public int PacketSize { get; init; } = 1200;
    public ImpairmentSpec? Impairment { get; init; }
    /// <summary>Host and port of an RTP destination.</summary>
    public string Host { get; init; } = "";
    public int Port { get; init; }
    /// <summary>The stream's path on an RTSP server.</summary>
    public string Path { get; init; } = "";

    public static EgressTarget Parse(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? text[..schemeEnd].ToLowerInvariant() : "";
        return scheme switch
        {
            "rtp" => ParseRtp(text, text[(schemeEnd + 3)..], EgressKind.Rtp),
            "rtsp" => ParseRtp(text, text[(schemeEnd + 3)..], EgressKind.Rtsp),
            "srt" => new EgressTarget(EgressKind.MpegTs, WithDefault(text, "linger", "1"), Shared.Media.LiveStreamWriter.Redacted(text)),
            "rist" => new EgressTarget(EgressKind.MpegTs, text, text),
            "udp" => new EgressTarget(EgressKind.MpegTs, WithDefault(text, "pkt_size", "1316"), text),
            _ => throw new UserFacingException($"--egress: '{text}' is not rtp://HOST:PORT, rtsp://HOST:PORT/PATH, srt://..., rist://... or udp://HOST:PORT", CommandLineHost.ExitUsage),
        };
    }

    /// <summary>The URL with <c>key=value</c> added to its query unless it names the key already.</summary>
    private static string WithDefault(string url, string key, string value) =>
        url.Contains(key + "=", StringComparison.Ordinal) ? url : url + (url.Contains('?') ? "&" : "?") + key + "=" + value;

    private static EgressTarget ParseRtp(string text, string rest, EgressKind kind)
    {
        var query = rest.IndexOf('?');
        var beforeQuery = query < 0 ? rest : rest[..query];
        var slash = beforeQuery.IndexOf('/');
        var authority = slash < 0 ? beforeQuery : beforeQuery[..slash];
        var path = slash < 0 ? "" : beforeQuery[(slash + 1)..].Trim('/');
        var scheme = kind == EgressKind.Rtsp ? "rtsp" : "rtp";
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65534)
        {
            throw new UserFacingException($"--egress: '{text}': expected {scheme}://HOST:PORT with a port in 1..65534", CommandLineHost.ExitUsage);
        }
        var host = authority[..colon].Trim('[', ']');
        var name = kind == EgressKind.Rtsp ? $"rtsp://{authority}/{path}" : $"rtp://{authority}";
        var target = new EgressTarget(kind, name, name)
        {
            Host = host,
            Port = port,
            Path = path,
            SdpPath = kind == EgressKind.Rtp ? $"aqs-rtp-{port}.sdp" : null,
        };
        if (query < 0)
        {
            return target;
        }
        foreach (var pair in rest[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            target = key switch
            {
                "sdp" when value.Length > 0 && kind == EgressKind.Rtp => target with { SdpPath = value },
                "pkt_size" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 100 and <= 65000 => target with { PacketSize = size },
                "net" => target with { Impairment = ImpairmentSpec.TryParse(value.Replace(';', ','), out var spec, out var error) ? spec
                    : throw new UserFacingException($"--egress: '{text}': net: {error}", CommandLineHost.ExitUsage) },
                _ => throw new UserFacingException($"--egress: '{text}': '{pair}' is not sdp=FILE, pkt_size=100..65000 or net=SPEC", CommandLineHost.ExitUsage),
            };
        }
        return target;
    }
}
