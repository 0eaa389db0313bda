using PalmLab.Web.Components.Shared;

namespace PalmLab.Tests.Web.Components;

public sealed class QueryValueTests
{
    [Theory]
    [InlineData("3", 3)]
    [InlineData(" 3 ", 3)]
    [InlineData("-2", -2)]
    [InlineData("abc", null)]
    [InlineData("1.5", null)]
    [InlineData("99999999999", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Int_AnyText_IsTheNumberOrNull(string? raw, int? expected) => Assert.Equal(expected, QueryValue.Int(raw));

    [Theory]
    [InlineData("0", 1, 10, null)]
    [InlineData("11", 1, 10, null)]
    [InlineData("10", 1, 10, 10)]
    public void Int_OutsideTheRange_IsNull(string raw, int min, int max, int? expected) => Assert.Equal(expected, QueryValue.Int(raw, min, max));

    [Theory]
    [InlineData("0.4", 0.4)]
    [InlineData("abc", null)]
    [InlineData("NaN", null)]
    [InlineData("Infinity", null)]
    [InlineData("0,4", null)]
    public void Double_AnyText_IsAFiniteNumberOrNull(string raw, double? expected) => Assert.Equal(expected, QueryValue.Double(raw));

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("yes", null)]
    [InlineData("", null)]
    public void Bool_AnyText_IsTrueFalseOrNull(string raw, bool? expected) => Assert.Equal(expected, QueryValue.Bool(raw));
}
