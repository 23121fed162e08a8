namespace Aqs.Kernel.Display.Decoding;

/// <summary>
/// Notices a missing H.264 frame from the bitstream itself. libavcodec's h264 decoder fills a frame_num gap with
/// copies of the last picture and decodes what follows without flagging anything, so a frame that never reached the
/// display would otherwise be shown as smeared pictures until the next keyframe. Reads only what the check needs:
/// each SPS's log2_max_frame_num (and separate_colour_plane), each PPS's SPS, and in the first slice of a picture
/// its pps id and frame_num (ITU-T H.264 7.3.2.1, 7.3.2.2, 7.3.3). The rule is 7.4.3's for frames (not fields): a
/// picture's frame_num is one more than the previous reference picture's (mod MaxFrameNum); an IDR starts at 0.
/// </summary>
public sealed class H264Continuity
{
    private readonly Dictionary<int, (int Log2MaxFrameNum, bool SeparateColourPlane)> _sps = [];
    private readonly Dictionary<int, int> _pps = [];
    private int _prevRefFrameNum = -1;

    /// <summary>Pictures whose frame_num showed that a reference picture before them is missing.</summary>
    public long Gaps { get; private set; }

    /// <summary>Reads one access unit (Annex B); false when a reference picture before it is missing.</summary>
    public bool Accept(ReadOnlySpan<byte> accessUnit)
    {
        var intact = true;
        var sawPicture = false;
        foreach (var (start, length) in NalUnits(accessUnit))
        {
            var nal = accessUnit.Slice(start, length);
            if (nal.Length < 2)
            {
                continue;
            }
            var type = nal[0] & 0x1F;
            var refIdc = (nal[0] >> 5) & 3;
            var bits = new BitReader(Unescape(nal[1..]));
            try
            {
                switch (type)
                {
                    case 7:
                        ReadSps(ref bits);
                        break;
                    case 8:
                        _pps[(int)bits.Ue()] = (int)bits.Ue();
                        break;
                    case 1 or 5 when !sawPicture:
                        sawPicture = true;
                        intact = Slice(ref bits, type == 5, refIdc != 0);
                        break;
                }
            }
            catch (IndexOutOfRangeException)
            {
                // A truncated parameter set or header: leave judging to the decoder.
            }
        }
        if (!intact)
        {
            Gaps++;
        }
        return intact;
    }

    /// <summary>
    /// Whether <paramref name="accessUnit"/> would be accepted, without moving the reference chain or counting a gap
    /// (parameter sets it carries are still learnt): for a frame that may only be early.
    /// </summary>
    public bool Fits(ReadOnlySpan<byte> accessUnit)
    {
        var (prev, gaps) = (_prevRefFrameNum, Gaps);
        var intact = Accept(accessUnit);
        (_prevRefFrameNum, Gaps) = (prev, gaps);
        return intact;
    }

    /// <summary>Forget the reference chain (after a decoder reopen): the next picture is taken as it comes.</summary>
    public void Reset() => _prevRefFrameNum = -1;

    private bool Slice(ref BitReader bits, bool idr, bool reference)
    {
        bits.Ue(); // first_mb_in_slice
        bits.Ue(); // slice_type
        var ppsId = (int)bits.Ue();
        if (!_pps.TryGetValue(ppsId, out var spsId) || !_sps.TryGetValue(spsId, out var sps))
        {
            return true; // parameter sets not seen (yet): nothing to judge by
        }
        if (sps.SeparateColourPlane)
        {
            bits.Bits(2);
        }
        var frameNum = (int)bits.Bits(sps.Log2MaxFrameNum);
        var max = 1 << sps.Log2MaxFrameNum;
        // Progressive streams (all our encoders): every non-IDR picture carries PrevRefFrameNum + 1, non-reference
        // ones too (they do not advance PrevRefFrameNum). Equality with PrevRefFrameNum is for second fields only.
        // Undetectable: a loss of exactly a multiple of MaxFrameNum reference pictures.
        var intact = idr || _prevRefFrameNum < 0 || frameNum == (_prevRefFrameNum + 1) % max;
        if (idr)
        {
            _prevRefFrameNum = 0;
        }
        else if (reference || !intact)
        {
            _prevRefFrameNum = frameNum;
        }
        return intact;
    }

    private void ReadSps(ref BitReader bits)
    {
        var profile = (int)bits.Bits(8);
        bits.Bits(16); // constraint flags, level_idc
        var id = (int)bits.Ue();
        var separate = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            var chroma = bits.Ue();
            if (chroma == 3)
            {
                separate = bits.Bits(1) == 1;
            }
            bits.Ue(); // bit_depth_luma_minus8
            bits.Ue(); // bit_depth_chroma_minus8
            bits.Bits(1); // qpprime_y_zero_transform_bypass_flag
            if (bits.Bits(1) == 1) // seq_scaling_matrix_present_flag
            {
                for (var i = 0; i < (chroma != 3 ? 8 : 12); i++)
                {
                    if (bits.Bits(1) == 1)
                    {
                        SkipScalingList(ref bits, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        _sps[id] = ((int)bits.Ue() + 4, separate);
    }

    private static void SkipScalingList(ref BitReader bits, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0)
            {
                next = (last + bits.Se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /// <summary>Start and length of each NAL unit after an Annex B start code.</summary>
    private static List<(int Start, int Length)> NalUnits(ReadOnlySpan<byte> data)
    {
        var units = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i + 2 < data.Length; i++)
        {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
            {
                if (start >= 0)
                {
                    var end = i;
                    while (end > start && data[end - 1] == 0)
                    {
                        end--; // the zero of a four-byte start code belongs to the next unit's prefix
                    }
                    units.Add((start, end - start));
                }
                start = i + 3;
                i += 2;
            }
        }
        if (start >= 0 && start < data.Length)
        {
            units.Add((start, data.Length - start));
        }
        return units;
    }

    /// <summary>The RBSP: emulation-prevention bytes (00 00 03) removed; only the first bytes are needed.</summary>
    private static byte[] Unescape(ReadOnlySpan<byte> nal)
    {
        var n = Math.Min(nal.Length, 256);
        var rbsp = new List<byte>(n);
        var zeros = 0;
        for (var i = 0; i < n; i++)
        {
            var b = nal[i];
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            rbsp.Add(b);
        }
        return [.. rbsp];
    }

    private ref struct BitReader(byte[] data)
    {
        private int _bit;

        public uint Bits(int count)
        {
            uint value = 0;
            for (var i = 0; i < count; i++, _bit++)
            {
                value = (value << 1) | (uint)((data[_bit >> 3] >> (7 - (_bit & 7))) & 1);
            }
            return value;
        }

        public uint Ue()
        {
            var zeros = 0;
            while (Bits(1) == 0)
            {
                if (++zeros > 31)
                {
                    throw new IndexOutOfRangeException("exp-Golomb code too long");
                }
            }
            return (uint)((1L << zeros) - 1 + Bits(zeros));
        }

        public int Se()
        {
            var k = Ue();
            return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
        }
    }
}
