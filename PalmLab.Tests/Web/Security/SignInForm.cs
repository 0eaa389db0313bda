using System.Net;
using System.Text.RegularExpressions;

namespace PalmLab.Tests.Web.Security;

/// <summary>Signs in through the /login form as a browser does: its antiforgery token and form name, then the post.</summary>
public static partial class SignInForm
{
    /// <summary>
    /// Posts the form to <paramref name="loginUrl"/> (the address the redirect gave, with its ReturnUrl). The client
    /// must keep cookies (the antiforgery cookie travels with the token) and must not follow redirects.
    /// </summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string loginUrl, string user, string password)
    {
        using var page = await client.GetAsync(loginUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        return await client.PostAsync(loginUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
            ["UserName"] = user,
            ["Password"] = password,
        }));
    }

    /// <summary>The antiforgery token of the first form on the page (the sign-in form, or the app bar's sign-out).</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = TokenInput().Match(html);
        Assert.True(match.Success, "The page holds no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
