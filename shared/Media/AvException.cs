using System.Runtime.CompilerServices;
using System.Text;


namespace Aqs.Shared.Media;

/// <summary>A libav* call failed: which call, its negative AVERROR code and av_strerror's text.</summary>
public sealed class AvException : Exception
{
    public string Call { get; }
    public int Code { get; }
    public string NativeText { get; }

    public AvException(string call, int code, string nativeText)
        : base($"{call} failed: {nativeText} ({code})")
    {
        Call = call;
        Code = code;
        NativeText = nativeText;
    }
}

/// <summary>AVERROR values that are results, not failures, and the one error-to-exception mapping.</summary>
internal static class AvError
{
    /// <summary>AVERROR(EAGAIN): send more input / receive more output first.</summary>
    public const int EAGAIN = -11;
    /// <summary>AVERROR_EOF: FFERRTAG('E','O','F',' ').</summary>
    public const int EOF = -541478725;
    /// <summary>AVERROR_INVALIDDATA: FFERRTAG('I','N','D','A').</summary>
    public const int InvalidData = -1094995529;
    /// <summary>AVERROR_EXIT: an interrupt callback ended the call.</summary>
    public const int Exit = -1414092869;
    public const int ENOMEM = -12;
    public const int EINVAL = -22;
    public const int EIO = -5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ThrowIfError(int code, string call)
    {
        if (code < 0)
        {
            Throw(code, call);
        }
        return code;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(int code, string call) => throw new AvException(call, code, Describe(code));

    public static unsafe string Describe(int code)
    {
        var buffer = stackalloc byte[256];
        if (Interop.AvUtil.av_strerror(code, buffer, 256) < 0)
        {
            return $"unknown error {code}";
        }
        return Encoding.UTF8.GetString(buffer, new ReadOnlySpan<byte>(buffer, 256).IndexOf((byte)0));
    }
}
