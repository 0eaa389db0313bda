using MudBlazor;
using PalmLab.Engine.DataSets;

namespace PalmLab.Web.Components.Pages.DataSets;

/// <summary>How the pages name each kind of data set problem and how serious it is: errors stop training, warnings weaken validation, notes are worth knowing.</summary>
public static class DataSetProblemKinds
{
    public static string Title(DataSetProblemKind kind) => kind switch
    {
        DataSetProblemKind.CorruptImage => "Corrupt images",
        DataSetProblemKind.NoClass => "Names of no class",
        DataSetProblemKind.NoLabelsFile => "No labels file",
        DataSetProblemKind.UnreadableLabels => "Unreadable labels file",
        DataSetProblemKind.UnlabelledImage => "Images without labels",
        DataSetProblemKind.LabelWithoutImage => "Labels without images",
        DataSetProblemKind.DuplicateInTraining => "Duplicates within training",
        DataSetProblemKind.DuplicateInValidation => "Duplicates within validation",
        DataSetProblemKind.DuplicateAcrossTrainingAndValidation => "Duplicates across training and validation",
        DataSetProblemKind.EntryTooLarge => "Files too large to import",
        DataSetProblemKind.SymbolicLink => "Links not followed",
        _ => kind.ToString(),
    };

    public static Severity SeverityOf(DataSetProblemKind kind) => kind switch
    {
        // Training refuses a folder with these.
        DataSetProblemKind.CorruptImage or DataSetProblemKind.NoClass or DataSetProblemKind.UnreadableLabels => Severity.Error,
        // Validation is weakened: unlabelled images, or the same image seen in training.
        DataSetProblemKind.NoLabelsFile or DataSetProblemKind.UnlabelledImage or DataSetProblemKind.LabelWithoutImage
            or DataSetProblemKind.DuplicateAcrossTrainingAndValidation => Severity.Warning,
        // Files left out of the import: what was imported is whole, but it may lack images the user meant to add.
        DataSetProblemKind.EntryTooLarge or DataSetProblemKind.SymbolicLink => Severity.Warning,
        _ => Severity.Info,
    };

    public static Color ColorOf(Severity severity) => severity switch
    {
        Severity.Error => Color.Error,
        Severity.Warning => Color.Warning,
        _ => Color.Info,
    };
}
