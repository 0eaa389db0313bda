using System.Globalization;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Components.Shared;

/// <summary>A cross-validated metric as people write it: "0.962 ± 0.014" ("0.962" for one fold, "—" for none).</summary>
public static class MeanStdText
{
    public static string Format(MeanStd? value, string format = "0.000") => value is null ? "—" : Format(value.Mean, value.Std, format);

    public static string Format(double? mean, double? std, string format = "0.000") =>
        mean is not { } m ? "—"
        : std is { } s ? $"{m.ToString(format, CultureInfo.InvariantCulture)} ± {s.ToString(format, CultureInfo.InvariantCulture)}"
        : m.ToString(format, CultureInfo.InvariantCulture);
}
