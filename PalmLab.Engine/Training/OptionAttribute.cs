namespace PalmLab.Engine.Training;

/// <summary>Marks a property of <see cref="TrainingOptions"/> as a training option, with its command-line name and help text.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string cliName, string description) : Attribute
{
    /// <summary>The name after <c>--</c> on the command line, such as <c>batch-size</c>.</summary>
    public string CliName { get; } = cliName;

    public string Description { get; } = description;
}
