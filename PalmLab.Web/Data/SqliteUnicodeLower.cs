using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PalmLab.Web.Data;

/// <summary>
/// SQLite's own <c>lower()</c> folds only A-Z, so "Über" would not find "über" there while PostgreSQL's finds it. Each
/// SQLite connection gets <c>lower()</c> replaced by .NET's invariant lower-casing, the same per-letter mapping as
/// PostgreSQL's <c>lower()</c> under a UTF-8 locale, so a case-insensitive search means the same on both databases.
/// </summary>
public sealed class SqliteUnicodeLower : DbConnectionInterceptor
{
    public static readonly SqliteUnicodeLower Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Register(connection);
        return Task.CompletedTask;
    }

    private static void Register(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        }
    }
}
