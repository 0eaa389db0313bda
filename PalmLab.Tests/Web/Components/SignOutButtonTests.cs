using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Components.Layout;

namespace PalmLab.Tests.Web.Components;

public sealed class SignOutButtonTests : ComponentTestBase
{
    private BunitAuthorizationContext _authorization = default!;

    protected override void AddServices(IServiceCollection services) => _authorization = AddAuthorization();

    [Fact]
    public void Render_SignedIn_ShowsTheUserAndASignOutFormPostingToLogout()
    {
        _authorization.SetAuthorized("admin");

        var cut = Render<SignOutButton>();

        var form = cut.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/logout", form.GetAttribute("action"));
        Assert.Equal("submit", form.QuerySelector("button")!.GetAttribute("type"));
        Assert.Contains("Sign out", form.TextContent);
        Assert.Contains("admin", cut.Markup);
    }

    [Fact]
    public void Render_NotSignedIn_ShowsNothing()
    {
        var cut = Render<SignOutButton>();

        Assert.Empty(cut.Markup.Trim());
    }
}
