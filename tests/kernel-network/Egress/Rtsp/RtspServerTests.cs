using System.Net;
using System.Net.Sockets;
using System.Text;
using Aqs.Kernel.Network.Egress.Rtsp;

namespace Aqs.Kernel.Network.Tests.Egress.Rtsp;

public class RtspServerTests
{
    [TestCase("RTP/AVP/UDP;unicast;client_port=5000-5001", 5000, 5001)]
    [TestCase("RTP/AVP;unicast;client_port=6000", 6000, 6001)]
    [TestCase("RTP/AVP/TCP;unicast;interleaved=0-1,RTP/AVP;unicast;client_port=7000-7001", 7000, 7001)]
    public void Udp_client_ports_are_taken_from_the_transport_header(string transport, int rtp, int rtcp)
    {
        Assert.That(RtspServer.TryClientPorts(transport, out var a, out var b), Is.True);
        Assert.That((a, b), Is.EqualTo((rtp, rtcp)));
    }

    [TestCase("RTP/AVP/TCP;unicast;interleaved=0-1")]
    [TestCase("RTP/AVP;multicast;client_port=5000-5001")]
    [TestCase(null)]
    public void Tcp_interleaving_and_multicast_are_refused(string? transport) =>
        Assert.That(RtspServer.TryClientPorts(transport, out _, out _), Is.False);

    [Test]
    [CancelAfter(10_000)]
    public void Garbage_gets_an_answer_or_a_closed_connection_and_is_counted_never_thrown()
    {
        using var server = new RtspServer(new IPEndPoint(IPAddress.Loopback, 0), "aqs", 5000, () => null, _ => { }, TimeSpan.FromMilliseconds(200));
        string Ask(string request)
        {
            using var client = new TcpClient();
            client.Connect(server.LocalEndpoint);
            var stream = client.GetStream();
            stream.Write(Encoding.ASCII.GetBytes(request));
            client.Client.Shutdown(SocketShutdown.Send);
            return new StreamReader(stream, Encoding.ASCII).ReadToEnd();
        }
        Assert.Multiple(() =>
        {
            Assert.That(Ask("OPTIONS rtsp://x/aqs RTSP/1.0\r\nCSeq: 1\r\n\r\n"), Does.StartWith("RTSP/1.0 200 OK").And.Contain("CSeq: 1"));
            Assert.That(Ask("DESCRIBE rtsp://x/aqs RTSP/1.0\r\nCSeq: 2\r\n\r\n"), Does.StartWith("RTSP/1.0 503"), "no frame within the wait, no SDP");
            Assert.That(Ask("DESCRIBE rtsp://x/other RTSP/1.0\r\nCSeq: 3\r\n\r\n"), Does.StartWith("RTSP/1.0 404"));
            Assert.That(Ask("PLAY rtsp://x/aqs RTSP/1.0\r\nCSeq: 4\r\n\r\n"), Does.StartWith("RTSP/1.0 455"), "PLAY before SETUP");
            Assert.That(Ask("DESCRIBE rtsp://x/aqs RTSP/1.0\r\n\r\n"), Does.StartWith("RTSP/1.0 400"));
            Assert.That(Ask("\u0001\u0002 garbage\r\n\r\n"), Is.Empty);
            Assert.That(server.BadRequests, Is.EqualTo(2));
            Assert.That(server.Player, Is.Null);
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public void Describe_before_the_first_keyframe_waits_for_it_instead_of_turning_the_player_away()
    {
        string? sdp = null;
        using var server = new RtspServer(new IPEndPoint(IPAddress.Loopback, 0), "aqs", 5000, () => Volatile.Read(ref sdp), _ => { }, TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        client.Connect(server.LocalEndpoint);
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes("DESCRIBE rtsp://x/aqs RTSP/1.0\r\nCSeq: 2\r\n\r\n"));
        client.Client.Shutdown(SocketShutdown.Send);
        var reply = new StreamReader(stream, Encoding.ASCII).ReadToEndAsync();
        Thread.Sleep(300);
        Assert.That(reply.IsCompleted, Is.False, "DESCRIBE is held while the stream has no codec yet");
        Volatile.Write(ref sdp, "v=0\r\nm=video 0 RTP/AVP 96\r\n");
        Assert.That(reply.Result, Does.StartWith("RTSP/1.0 200 OK").And.Contain("m=video 0 RTP/AVP 96"));
    }
}
