using PalmLab.Engine;
using PalmLab.Engine.DataSets;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Tests.Engine;

public class DataSetReportTests
{
    [Fact]
    public void Build_CleanTree_CountsClassesLabelsAndSizes()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Path, normal: 3, high: 1, pathologic: 4, validation: 5);
        using (var image = new Image<Rgb24>(48, 40))
        {
            image.SaveAsPng(Path.Combine(tree, "PALM-Training400", "H0009.png"));
        }

        var report = DataSetReport.Build(tree);

        Assert.Equal((9, 3, 2, 4), (report.TrainingImages, report.Normal, report.HighMyopia, report.Pathologic));
        Assert.Equal((5, 3, 2), (report.ValidationImages, report.ValidationPositives, report.ValidationNegatives));
        Assert.Equal([new ImageSizeCount(32, 32, 13), new ImageSizeCount(48, 40, 1)], report.ImageSizes);
        Assert.Empty(report.Problems);
        Assert.Matches("^[0-9a-f]{64}$", report.ContentHash);
    }

    [Fact]
    public void Build_PlantedDuplicates_ListsThemWithinTrainingWithinValidationAndAcross()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Path, validation: 6);
        var training = Path.Combine(tree, "PALM-Training400");
        var validation = Path.Combine(tree, "PALM-Validation400");
        File.Copy(Path.Combine(training, "P0001.jpg"), Path.Combine(training, "P0004.jpg"), overwrite: true);
        File.Copy(Path.Combine(validation, "V0001.jpg"), Path.Combine(validation, "V0003.jpg"), overwrite: true);
        File.Copy(Path.Combine(training, "N0002.jpg"), Path.Combine(validation, "V0005.jpg"), overwrite: true);

        var problems = DataSetReport.Build(tree).Problems;

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Kind == DataSetProblemKind.DuplicateInTraining
            && p.Files.SequenceEqual(["PALM-Training400/P0001.jpg", "PALM-Training400/P0004.jpg"]));
        Assert.Contains(problems, p => p.Kind == DataSetProblemKind.DuplicateInValidation
            && p.Files.SequenceEqual(["PALM-Validation400/V0001.jpg", "PALM-Validation400/V0003.jpg"]));
        var across = Assert.Single(problems, p => p.Kind == DataSetProblemKind.DuplicateAcrossTrainingAndValidation);
        Assert.Equal(["PALM-Training400/N0002.jpg", "PALM-Validation400/V0005.jpg"], across.Files);
        Assert.Contains("byte-identical", across.Message);
    }

    [Fact]
    public void Build_CorruptImagesAndNamesOfNoClass_AreListedNotFatal()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Path, normal: 3, high: 1, pathologic: 4);
        var training = Path.Combine(tree, "PALM-Training400");
        var whole = File.ReadAllBytes(Path.Combine(training, "P0001.jpg"));
        File.WriteAllBytes(Path.Combine(training, "P0001.jpg"), whole[..(whole.Length / 2)]);
        File.WriteAllText(Path.Combine(tree, "PALM-Validation400", "V0002.jpg"), "not a jpeg");
        File.Copy(Path.Combine(training, "N0001.jpg"), Path.Combine(training, "img_7.jpg"));
        File.Delete(Path.Combine(training, "N0001.jpg"));

        var report = DataSetReport.Build(tree);

        Assert.Equal((8, 2, 1, 3), (report.TrainingImages, report.Normal, report.HighMyopia, report.Pathologic));
        Assert.Equal((4, 2, 1), (report.ValidationImages, report.ValidationPositives, report.ValidationNegatives));
        Assert.Equal(
            [
                (DataSetProblemKind.CorruptImage, "PALM-Training400/P0001.jpg"),
                (DataSetProblemKind.CorruptImage, "PALM-Validation400/V0002.jpg"),
                (DataSetProblemKind.NoClass, "PALM-Training400/img_7.jpg"),
            ],
            report.Problems.Select(p => (p.Kind, p.Files.Single())));
        Assert.Contains("truncated", report.Problems[0].Message);
    }

    [Fact]
    public void Build_LabelsAndImagesDisagree_ListsUnlabelledImagesAndLabelsWithoutImages()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Path, validation: 4);
        var validation = Path.Combine(tree, "PALM-Validation400");
        File.Delete(Path.Combine(validation, "V0002.jpg"));
        File.Copy(Path.Combine(validation, "V0001.jpg"), Path.Combine(validation, "V0099.jpg"));

        var problems = DataSetReport.Build(tree).Problems;

        var unlabelled = Assert.Single(problems, p => p.Kind == DataSetProblemKind.UnlabelledImage);
        Assert.Equal("PALM-Validation400/V0099.jpg: no label in PALM-Validation-GT/labels.csv.", unlabelled.Message);
        Assert.Equal(["V0002.jpg"], Assert.Single(problems, p => p.Kind == DataSetProblemKind.LabelWithoutImage).Files);
    }

    [Fact]
    public void Build_UnreadableLabelsFile_IsAProblemNamingItRelatively()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Path);
        File.WriteAllLines(Path.Combine(tree, "PALM-Validation-GT", "labels.csv"), ["ID,image", "1,V0001.jpg"]);

        var problem = Assert.Single(DataSetReport.Build(tree).Problems);

        Assert.Equal(DataSetProblemKind.UnreadableLabels, problem.Kind);
        Assert.StartsWith("PALM-Validation-GT/labels.csv lacks the column(s)", problem.Message);
    }

    [Fact]
    public void Build_NoUsableTrainingImage_Throws()
    {
        using var temp = new TempDir();
        var training = temp.Sub("PALM-Training400");
        File.WriteAllText(Path.Combine(training, "N0001.jpg"), "junk");
        File.WriteAllBytes(Path.Combine(training, "P0001.jpg"), []);

        var error = Assert.Throws<PalmLabException>(() => DataSetReport.Build(temp.Path));

        Assert.Contains("none of the 2 image(s) in PALM-Training400 can be used", error.Message);
        Assert.Contains("P0001.jpg: the file is empty", error.Message);
    }

    [Fact]
    public void Build_OneByteChanged_ChangesTheContentHash()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Path);
        var first = DataSetReport.Build(tree).ContentHash;
        var again = DataSetReport.Build(tree).ContentHash;
        var labels = Path.Combine(tree, "PALM-Validation-GT", "labels.csv");
        File.WriteAllText(labels, File.ReadAllText(labels).Replace("V0001.jpg,1", "V0001.jpg,0"));

        Assert.Equal(first, again);
        Assert.NotEqual(first, DataSetReport.Build(tree).ContentHash);
    }
}
