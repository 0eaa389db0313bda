using PalmLab.Tests.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class NotFoundPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task UnknownAddress_GoToTheRuns_ShowsNotFoundThenLeadsHome()
    {
        await using var session = await OpenAsync();
        var notFound = new NotFoundPage(session.Page);

        await notFound.GotoAsync("/no-such-page");
        session.AssertNoProblems();
        await notFound.GoToRunsAsync();

        await PageWait.ForAsync("the address to become the home page's",
            () => Expect(session.Page).ToHaveURLAsync(new Uri(Fixture.BaseAddress, HomePage.Path).ToString()));
        session.AssertNoProblems();
    }
}
