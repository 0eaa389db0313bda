namespace PalmLab.Tests.E2E;

/// <summary>Browser tests share one app and one Chromium: starting them takes seconds, a new page takes milliseconds.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
