using System.Globalization;

namespace PalmLab.Engine.Training;

/// <summary>How a JSON number's text reads as a whole number.</summary>
public enum WholeNumberReading
{
    /// <summary>A whole number that fits a <see cref="long"/>: <c>2</c>, <c>2.0</c>, <c>2e0</c>, <c>1e9</c>.</summary>
    Whole,

    /// <summary>A number with a fraction: <c>2.5</c>, <c>1e-3</c>.</summary>
    Fraction,

    /// <summary>A whole number too large for any whole-number field: <c>1e20</c>.</summary>
    OutOfRange,

    /// <summary>Not a number at all.</summary>
    NotANumber,
}

/// <summary>
/// The one rule for whole numbers in JSON bodies. JSON has a single number type, so <c>2.0</c> and <c>1e9</c> are the
/// whole numbers 2 and 1,000,000,000 (then checked against the field's own range like any other value); a number with a
/// fraction is refused as "not a whole number". The value is judged exactly (as a decimal), so 2.0000000000000001 has a
/// fraction even though a double would round it to 2.
/// </summary>
public static class WholeNumber
{
    /// <summary>Reads a JSON number's text (<c>1e9</c>) as a whole number.</summary>
    public static WholeNumberReading Read(string text, out long value)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return WholeNumberReading.Whole;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return WholeNumberReading.NotANumber;
        }
        var hasDecimal = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact);
        if ((double.IsFinite(d) && Math.Floor(d) != d) || (hasDecimal && exact != decimal.Truncate(exact)))
        {
            return WholeNumberReading.Fraction;
        }
        // 2^63 is the first double past long.MaxValue.
        if (!double.IsFinite(d) || d < long.MinValue || d >= 9223372036854775808.0)
        {
            return WholeNumberReading.OutOfRange;
        }
        value = hasDecimal ? (long)exact : (long)d;
        return WholeNumberReading.Whole;
    }

    /// <summary>
    /// Reads a JSON number's text as a whole number from <paramref name="min"/> to <paramref name="max"/> (the type's range:
    /// a field's own bounds are checked where its other rules are); on failure, why, worded as a field's message.
    /// </summary>
    public static bool TryRead(string text, long min, long max, out long value, out string error)
    {
        error = "";
        switch (Read(text, out value))
        {
            case WholeNumberReading.Whole when value >= min && value <= max:
                return true;
            case WholeNumberReading.Whole or WholeNumberReading.OutOfRange:
                error = $"is out of range for a whole number ({min:N0} to {max:N0}), not {text}";
                return false;
            default:
                error = $"must be a whole number, not {text}";
                return false;
        }
    }
}
