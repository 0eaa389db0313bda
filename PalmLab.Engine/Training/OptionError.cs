namespace PalmLab.Engine.Training;

/// <summary>
/// One problem with one option. <see cref="Option"/> is the property name (<c>BatchSize</c>); each front end shows it
/// its own way (<c>--batch-size</c> on the command line, <c>batchSize</c> in the API, the field in the form).
/// </summary>
public sealed record OptionError(string Option, string Message);
