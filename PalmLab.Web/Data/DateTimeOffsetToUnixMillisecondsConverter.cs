using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PalmLab.Web.Data;

/// <summary>Stores times as Unix milliseconds (UTC), which SQLite can sort and compare.</summary>
public sealed class DateTimeOffsetToUnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.ToUnixTimeMilliseconds(),
    value => DateTimeOffset.FromUnixTimeMilliseconds(value));
