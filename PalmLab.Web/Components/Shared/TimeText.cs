namespace PalmLab.Web.Components.Shared;

/// <summary>Times and durations as a table shows them: short, in words.</summary>
public static class TimeText
{
    public static string Ago(DateTimeOffset time, DateTimeOffset now)
    {
        var elapsed = now - time;
        return elapsed.TotalSeconds switch
        {
            < 45 => "just now",
            < 3600 => $"{Math.Max(1, (int)Math.Round(elapsed.TotalMinutes))} min ago",
            < 86400 => $"{(int)elapsed.TotalHours} h ago",
            < 86400 * 30 => $"{(int)elapsed.TotalDays} d ago",
            _ => time.UtcDateTime.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static string Exact(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 0 => "0 s",
        < 60 => $"{(int)duration.TotalSeconds} s",
        < 3600 => $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s",
        _ => $"{(int)duration.TotalHours} h {duration.Minutes:00} min",
    };
}
