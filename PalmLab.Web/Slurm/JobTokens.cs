using System.Security.Cryptography;
using System.Text;

namespace PalmLab.Web.Slurm;

/// <summary>The token a job reports with: valid for its own run only; the database keeps only its SHA-256.</summary>
public static class JobTokens
{
    public static (string Token, string Hash) Create()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> is the one whose hash is <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string? storedHash, string? token) =>
        storedHash is not null && token is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(storedHash));
}
