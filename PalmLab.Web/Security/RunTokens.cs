using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PalmLab.Web.Security;

/// <summary>
/// Per-run bearer tokens for jobs that report from other machines. A token is 32 random bytes, base64url; the database
/// keeps only its SHA-256 (lower-case hex), so a copy of the database cannot report for a run. A report endpoint is
/// mapped with <c>.AllowAnonymous()</c> (no sign-in, no API key) and checks the token itself:
/// <code>
/// if (!RunTokens.IsValid(context.Request, run.TokenHash)) return RunTokens.Rejected();
/// </code>
/// </summary>
public static class RunTokens
{
    private const int TokenBytes = 32;

    /// <summary>A new token, to hand to the job once, and the hash to store.</summary>
    public static (string Token, string Hash) Create()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        return (token, Hash(token));
    }

    /// <summary>The SHA-256 of the token's UTF-8 bytes, as 64 lower-case hex digits.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// Whether <paramref name="token"/> is the one whose hash is <paramref name="storedHash"/>, in constant time. False
    /// for a missing token, and for a run without a hash (it was never given a token).
    /// </summary>
    public static bool IsValid(string? storedHash, string? token)
    {
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (string.IsNullOrEmpty(token) || storedHash is not { Length: SHA256.HashSizeInBytes * 2 }
            || Convert.FromHexString(storedHash, expected, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != expected.Length)
        {
            return false;
        }
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), presented);
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    /// <summary>Whether the request carries <c>Authorization: Bearer TOKEN</c> with this run's token.</summary>
    public static bool IsValid(HttpRequest request, string? storedHash) => IsValid(storedHash, BearerToken.Read(request));

    /// <summary>The answer to a report without this run's token: 401 problem details, naming nothing about the run.</summary>
    public static IResult Rejected() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        detail: "This run's token is required, as Authorization: Bearer TOKEN.");
}
