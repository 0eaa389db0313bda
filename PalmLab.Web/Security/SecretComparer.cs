using System.Security.Cryptography;
using System.Text;

namespace PalmLab.Web.Security;

/// <summary>Compares a presented secret with the configured one in time that does not depend on where they differ.</summary>
public static class SecretComparer
{
    /// <remarks>
    /// Both sides are hashed first, so the comparison always runs over 32 bytes and a wrong guess's length tells
    /// nothing either; <see cref="CryptographicOperations.FixedTimeEquals"/> then reads every byte.
    /// </remarks>
    public static bool AreEqual(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }
        Span<byte> left = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> right = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""), left);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }
}
