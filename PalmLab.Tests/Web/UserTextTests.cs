using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public class UserTextTests
{
    [Theory]
    [InlineData("a\0b", "U+0000")]
    [InlineData("line one\nforged line", "U+000A")]
    [InlineData("a\rb", "U+000D")]
    [InlineData("a\tb", "U+0009")]
    [InlineData("\u001b[31mred", "U+001B")]
    [InlineData("a\u0085b", "U+0085")]
    [InlineData("invoice\u202Efdp.exe", "U+202E")]
    [InlineData("a\u202Ab", "U+202A")]
    [InlineData("a\u2066b\u2069", "U+2066")]
    public void Problem_NameWithControlOrBidiCharacter_NamesItAndWhere(string name, string character)
    {
        var problem = UserText.Problem(name);

        Assert.NotNull(problem);
        Assert.Contains(character, problem);
        Assert.Contains($"at position {name.IndexOf(Convert.ToChar(Convert.ToInt32(character[2..], 16))) + 1}", problem);
    }

    [Theory]
    [InlineData("ResNet-50 · 224 px, lr 1e-3")]
    [InlineData("Résumé of the 日本 run — שלום")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("")]
    [InlineData(null)]
    public void Problem_PrintableText_IsNone(string? name) => Assert.Null(UserText.Problem(name));

    [Theory]
    [InlineData("first line\nsecond line\r\n\tindented")]
    public void Problem_NotesWithNewlinesAndTabs_IsNone(string notes) => Assert.Null(UserText.Problem(notes, multiline: true));

    [Theory]
    [InlineData("a\0b", "U+0000")]
    [InlineData("a\u202Eb", "U+202E")]
    [InlineData("a\u0007b", "U+0007")]
    public void Problem_NotesWithOtherControlOrBidiCharacters_NamesIt(string notes, string character) =>
        Assert.Contains(character, UserText.Problem(notes, multiline: true));
}
