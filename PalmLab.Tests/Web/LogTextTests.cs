using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public class LogTextTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("run\n2026-12-06 info: forged", "\"run\\n2026-12-06 info: forged\"")]
    [InlineData("a\"b\\c\r\td", "\"a\\\"b\\\\c\\r\\td\"")]
    [InlineData("x\u202Ey\0", "\"x\\u202Ey\\u0000\"")]
    [InlineData(null, "(none)")]
    public void LogText_ToString_QuotesAndEscapesWhatCouldForgeALine(string? text, string logged) =>
        Assert.Equal(logged, LogText.Of(text).ToString());
}
