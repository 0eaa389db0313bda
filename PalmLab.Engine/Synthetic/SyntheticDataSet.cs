namespace PalmLab.Engine.Synthetic;

/// <summary>What <see cref="FundusGenerator.Generate"/> wrote: the official folders, the labels files and the class counts.</summary>
public sealed record SyntheticDataSet(
    string TrainDir,
    string ValidDir,
    string LabelsXlsxPath,
    string LabelsCsvPath,
    int Normal,
    int HighMyopia,
    int Pathologic,
    int Validation,
    int ValidationPathologic,
    double Seconds);
