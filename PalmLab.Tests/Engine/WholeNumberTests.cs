using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine;

public sealed class WholeNumberTests
{
    [Theory]
    [InlineData("2", 2)]
    [InlineData("2.0", 2)]
    [InlineData("2e0", 2)]
    [InlineData("1e9", 1_000_000_000)]
    [InlineData("-3.000", -3)]
    [InlineData("9007199254740993.0", 9007199254740993)]
    public void Read_IntegralJsonNumber_IsThatWholeNumber(string text, long expected)
    {
        Assert.Equal(WholeNumberReading.Whole, WholeNumber.Read(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("2.5", WholeNumberReading.Fraction)]
    [InlineData("1e-3", WholeNumberReading.Fraction)]
    [InlineData("1e-300", WholeNumberReading.Fraction)]
    [InlineData("2.0000000000000001", WholeNumberReading.Fraction)]
    [InlineData("1e20", WholeNumberReading.OutOfRange)]
    [InlineData("-1e400", WholeNumberReading.OutOfRange)]
    [InlineData("ten", WholeNumberReading.NotANumber)]
    public void Read_OtherNumbers_SayWhyTheyAreNotWhole(string text, WholeNumberReading expected)
    {
        Assert.Equal(expected, WholeNumber.Read(text, out _));
    }

    [Theory]
    [InlineData("2.5", "must be a whole number, not 2.5")]
    [InlineData("1e20", "is out of range for a whole number (-2,147,483,648 to 2,147,483,647), not 1e20")]
    [InlineData("3e9", "is out of range for a whole number (-2,147,483,648 to 2,147,483,647), not 3e9")]
    public void TryRead_OutsideTheType_NamesTheRule(string text, string error)
    {
        Assert.False(WholeNumber.TryRead(text, int.MinValue, int.MaxValue, out _, out var message));
        Assert.Equal(error, message);
    }
}
