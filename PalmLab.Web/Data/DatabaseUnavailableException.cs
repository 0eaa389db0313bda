namespace PalmLab.Web.Data;

/// <summary>
/// The run store cannot be used: PalmLab:ConnectionString cannot be read, or the PostgreSQL server is down or refuses
/// PalmLab. The message, one line, says which, for an operator to fix.
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
