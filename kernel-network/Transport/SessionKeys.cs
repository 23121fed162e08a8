using System.Security.Cryptography;
using System.Text;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Cli;
using Aqs.Shared.Security;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// The session's datagram key and id. A key file holds the 32-byte key as 64 hex digits and must be
/// readable by its owner only (0600), since whoever has it can forge the stream.
/// </summary>
public static class SessionKeys
{
    /// <summary>A stable 32-bit id from the session name (both ends compute the same).</summary>
    public static uint IdOf(string session)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(session), hash);
        return BitConverter.ToUInt32(hash);
    }

    public static byte[] Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserFacingException($"--key-file: {path} does not exist");
        }
        // Whoever can read the key can forge the stream, whoever can write it can make us accept their stream.
        OwnerOnlyFile.Check(path, "--key-file");
        var text = File.ReadAllText(path).Trim();
        try
        {
            var key = Convert.FromHexString(text);
            if (key.Length != DatagramSealer.KeyLength)
            {
                throw new UserFacingException($"--key-file: {path} holds {key.Length} bytes; a key is {DatagramSealer.KeyLength} bytes (64 hex digits)");
            }
            return key;
        }
        catch (FormatException)
        {
            throw new UserFacingException($"--key-file: {path} is not 64 hex digits");
        }
    }

    /// <summary>Writes a new random key to <paramref name="path"/> with mode 0600 and returns it.</summary>
    public static byte[] CreateFile(string path)
    {
        var key = DatagramSealer.NewKey();
        OwnerOnlyFile.Write(path, Convert.ToHexString(key));
        return key;
    }
}
