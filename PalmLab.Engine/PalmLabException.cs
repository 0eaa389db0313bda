namespace PalmLab.Engine;

/// <summary>
/// An error caused by the user's input (a file, a folder, an option) whose message is written for that user.
/// </summary>
public sealed class PalmLabException(string message, Exception? inner = null) : Exception(message, inner);
