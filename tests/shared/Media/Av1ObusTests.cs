using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

public class Av1ObusTests
{
    // Temporal delimiter (type 2, size 0), sequence header (type 1, size 3), frame (type 6, no size field: to the end).
    private static readonly byte[] Unit = [0x12, 0x00, 0x0A, 0x03, 0xAA, 0xBB, 0xCC, 0x30, 0x01, 0x02];

    [Test]
    public void Sequence_header_is_found_after_a_temporal_delimiter()
    {
        Assert.That(Av1Obus.SequenceHeader(Unit).ToArray(), Is.EqualTo(new byte[] { 0x0A, 0x03, 0xAA, 0xBB, 0xCC }));
    }

    [Test]
    public void Sequence_header_with_extension_byte_and_two_byte_size_keeps_both()
    {
        var payload = Enumerable.Repeat((byte)0x5A, 130).ToArray();
        byte[] unit = [0x0E, 0x28, 0x82, 0x01, .. payload];
        Assert.That(Av1Obus.SequenceHeader(unit).Length, Is.EqualTo(4 + 130));
    }

    [TestCase(new byte[] { 0x30, 0x01, 0x02 }, TestName = "Frame_only_unit_has_no_sequence_header")]
    [TestCase(new byte[] { 0x0A, 0x09, 0xAA }, TestName = "Size_past_the_end_is_malformed_not_read")]
    [TestCase(new byte[] { 0x0A, 0x80 }, TestName = "Unterminated_leb128_is_malformed_not_read")]
    [TestCase(new byte[] { 0x8A, 0x00 }, TestName = "Forbidden_bit_set_is_malformed_not_read")]
    [TestCase(new byte[0], TestName = "Empty_unit_has_no_sequence_header")]
    public void Malformed_or_missing_sequence_header_gives_empty(byte[] unit)
    {
        Assert.That(Av1Obus.SequenceHeader(unit).IsEmpty, Is.True);
    }
}
