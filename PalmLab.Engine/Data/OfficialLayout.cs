namespace PalmLab.Engine.Data;

/// <summary>The folder and file names of the iChallenge-PM release, which every reader, writer and importer follows.</summary>
public static class OfficialLayout
{
    public const string TrainingFolder = "PALM-Training400";
    public const string ValidationFolder = "PALM-Validation400";
    public const string GroundTruthFolder = "PALM-Validation-GT";
    public const string XlsxLabelsName = "PM_Label_and_Fovea_Location.xlsx";
    public const string CsvLabelsName = "labels.csv";
}
