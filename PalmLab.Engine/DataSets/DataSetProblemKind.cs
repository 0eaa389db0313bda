namespace PalmLab.Engine.DataSets;

/// <summary>What is wrong with some files of a data set.</summary>
public enum DataSetProblemKind
{
    /// <summary>An image that cannot be decoded (empty, truncated, not an image, too large).</summary>
    CorruptImage,

    /// <summary>A training image whose name says no class (not N*, H* or P*).</summary>
    NoClass,

    /// <summary>Validation images but no labels file.</summary>
    NoLabelsFile,

    /// <summary>A labels file that cannot be read.</summary>
    UnreadableLabels,

    /// <summary>A validation image the labels file does not list.</summary>
    UnlabelledImage,

    /// <summary>A name in the labels file with no validation image.</summary>
    LabelWithoutImage,

    /// <summary>Byte-identical images within the training folder.</summary>
    DuplicateInTraining,

    /// <summary>Byte-identical images within the validation folder.</summary>
    DuplicateInValidation,

    /// <summary>The same bytes in the training and the validation folder.</summary>
    DuplicateAcrossTrainingAndValidation,

    /// <summary>An image or labels file of an import larger than an entry may be: not imported.</summary>
    EntryTooLarge,

    /// <summary>A symbolic link in an imported folder: links are not followed, so it was not imported.</summary>
    SymbolicLink,
}
