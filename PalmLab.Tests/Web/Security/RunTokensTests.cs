using Microsoft.AspNetCore.Http;
using PalmLab.Web.Security;

namespace PalmLab.Tests.Web.Security;

public class RunTokensTests
{
    [Fact]
    public void Create_TwoTokens_Are32RandomBytesInBase64UrlWithTheirSha256()
    {
        var (token, hash) = RunTokens.Create();
        var (other, otherHash) = RunTokens.Create();

        Assert.Equal(43, token.Length); // 32 bytes, base64url without padding
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(RunTokens.Hash(token), hash);
        Assert.NotEqual(token, other);
        Assert.NotEqual(hash, otherHash);
        Assert.DoesNotContain(token, hash);
    }

    [Fact]
    public void IsValid_TheRunsOwnToken_True()
    {
        var (token, hash) = RunTokens.Create();

        Assert.True(RunTokens.IsValid(hash, token));
        Assert.True(RunTokens.IsValid(hash.ToUpperInvariant(), token));
    }

    [Fact]
    public void IsValid_AnotherRunsTokenOrNone_False()
    {
        var (_, hash) = RunTokens.Create();
        var (otherToken, otherHash) = RunTokens.Create();

        Assert.False(RunTokens.IsValid(hash, otherToken));
        Assert.False(RunTokens.IsValid(hash, null));
        Assert.False(RunTokens.IsValid(hash, ""));
        Assert.False(RunTokens.IsValid(hash, otherHash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex!")]
    [InlineData("abcd")]
    public void IsValid_RunWithoutAUsableHash_False(string? storedHash)
    {
        var (token, _) = RunTokens.Create();

        Assert.False(RunTokens.IsValid(storedHash, token));
    }

    [Theory]
    [InlineData("Bearer {0}", true)]
    [InlineData("bearer {0}", true)]
    [InlineData("Basic {0}", false)]
    [InlineData("{0}", false)]
    [InlineData("", false)]
    public void IsValid_Request_ReadsTheBearerHeaderOnly(string header, bool expected)
    {
        var (token, hash) = RunTokens.Create();
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = string.Format(System.Globalization.CultureInfo.InvariantCulture, header, token);

        Assert.Equal(expected, RunTokens.IsValid(context.Request, hash));
    }
}
