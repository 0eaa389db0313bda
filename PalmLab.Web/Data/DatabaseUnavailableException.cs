namespace PalmLab.Web.Data;

/// <summary>The run store cannot be opened at start-up: the message, one line, says which and why, for an operator to fix.</summary>
public sealed class DatabaseUnavailableException(string message, Exception innerException) : Exception(message, innerException);
