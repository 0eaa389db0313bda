using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.DataSets;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

public class DataSetLayoutTests
{
    [Fact]
    public void Find_OfficialNestingWithMacLitter_FindsEachPart()
    {
        using var temp = new TempDir();
        var training = TestImages.WriteTrainingFolder(Path.Combine(temp.Path, "PALM-Training400", "PALM-Training400"), 2, 0, 2);
        TestImages.WriteTrainingFolder(Path.Combine(temp.Path, "__MACOSX", "PALM-Training400", "PALM-Training400"), 2, 0, 2);
        File.WriteAllText(Path.Combine(temp.Path, "PALM-Training400", "._N0001.jpg"), "x");
        var validation = Path.Combine(temp.Path, "valid", "PALM-Validation400");
        TestImages.WriteValidationFolder(validation, 2);
        var gt = temp.Sub("PALM-Validation-GT");
        File.WriteAllText(Path.Combine(gt, "labels.csv"), "");

        var layout = DataSetLayout.Find(temp.Path);

        Assert.Equal(training, layout.TrainingDir);
        Assert.Equal(validation, layout.ValidationDir);
        Assert.Equal(Path.Combine(gt, "labels.csv"), layout.LabelsFile);
        Assert.Equal("PALM-Training400/PALM-Training400", layout.Relative(layout.TrainingDir));
    }

    [Fact]
    public void Find_NoFolderNamedTraining400_TakesTheOnlyFolderOfClassNamedImages()
    {
        using var temp = new TempDir();
        var training = TestImages.WriteTrainingFolder(temp.Sub("fundus"), 2, 1, 2);
        TestImages.WriteValidationFolder(temp.Sub("PALM-Validation400"), 2);

        var layout = DataSetLayout.Find(temp.Path);

        Assert.Equal(training, layout.TrainingDir);
        Assert.Equal(Path.Combine(temp.Path, "PALM-Validation400", "labels.csv"), layout.LabelsFile);
    }

    [Fact]
    public void Find_NoTrainingFolder_SaysWhatItExpected()
    {
        using var temp = new TempDir();
        TestImages.WriteValidationFolder(temp.Sub("PALM-Validation400"), 2);

        var error = Assert.Throws<PalmLabException>(() => DataSetLayout.Find(temp.Path));

        Assert.StartsWith(temp.Path, error.Message);
        Assert.Contains("no training folder", error.Message);
        Assert.Contains("PALM-Training400", error.Message);
    }

    [Fact]
    public void Find_TwoTrainingFolders_NamesBoth()
    {
        using var temp = new TempDir();
        TestImages.WriteTrainingFolder(Path.Combine(temp.Path, "a", "PALM-Training400"), 1, 0, 1);
        TestImages.WriteTrainingFolder(Path.Combine(temp.Path, "b", "PALM-Training400"), 1, 0, 1);

        var error = Assert.Throws<PalmLabException>(() => DataSetLayout.Find(temp.Path));

        Assert.Contains("several folders could be the training folder", error.Message);
        Assert.Contains(Path.Combine("a", "PALM-Training400"), error.Message);
        Assert.Contains(Path.Combine("b", "PALM-Training400"), error.Message);
    }

    [Fact]
    public void Find_OfficialXlsxInGtAndCsvElsewhere_PrefersTheGtFolder()
    {
        using var temp = new TempDir();
        TestImages.WriteTrainingFolder(temp.Sub("PALM-Training400"), 1, 0, 1);
        TestImages.WriteValidationFolder(temp.Sub("PALM-Validation400"), 2);
        var xlsx = Path.Combine(temp.Sub("PALM-Validation-GT"), OfficialLayout.XlsxLabelsName);
        File.WriteAllText(xlsx, "");

        Assert.Equal(xlsx, DataSetLayout.Find(temp.Path).LabelsFile);
    }
}
