using System.Globalization;
using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

public class DatasetReaderTests
{
    [Fact]
    public void ReadTrainingFolder_OfficialNames_LabelsPAsOneAndNHAsZero()
    {
        using var temp = new TempDir();
        var folder = TestImages.WriteTrainingFolder(temp.Sub("train"), normal: 3, high: 2, pathologic: 4);
        File.WriteAllText(Path.Combine(folder, ".DS_Store"), "x");
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "x");

        var list = DatasetReader.ReadTrainingFolder(folder);

        Assert.Equal(9, list.Images.Count);
        Assert.Equal(4, list.Positives);
        Assert.All(list.Images, i => Assert.Equal(Path.GetFileName(i.Path)[0] == 'P' ? 1 : 0, i.Label));
        Assert.Equal(["skipped " + Path.Combine(folder, "readme.txt") + ": not an image file"], list.Notes);
    }

    [Fact]
    public void ReadTrainingFolder_Empty_SaysNoImages()
    {
        using var temp = new TempDir();

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadTrainingFolder(temp.Sub("empty")));

        Assert.Contains("No images in", error.Message);
    }

    [Fact]
    public void ReadTrainingFolder_Missing_SaysSo()
    {
        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadTrainingFolder("/no/such/folder"));

        Assert.Contains("/no/such/folder does not exist", error.Message);
    }

    [Fact]
    public void ReadTrainingFolder_NamesOfNoClass_ListsEveryOffendingFileInOneMessage()
    {
        using var temp = new TempDir();
        var folder = TestImages.WriteTrainingFolder(temp.Sub("train"), 2, 0, 2);
        File.Copy(Path.Combine(folder, "N0001.jpg"), Path.Combine(folder, "X0001.jpg"));
        File.Copy(Path.Combine(folder, "N0001.jpg"), Path.Combine(folder, "img_7.jpg"));

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadTrainingFolder(folder));

        Assert.Contains("2 image(s)", error.Message);
        Assert.Contains("X0001.jpg", error.Message);
        Assert.Contains("img_7.jpg", error.Message);
        Assert.Contains("N*, H* or P*", error.Message);
    }

    [Fact]
    public void ReadValidationFolder_LabelsCsv_GivesEachImageItsLabel()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("valid");
        var expected = TestImages.WriteValidationFolder(folder, 6);

        var list = DatasetReader.ReadValidationFolder(folder);

        Assert.Equal(expected, list.Images.ToDictionary(i => Path.GetFileName(i.Path), i => i.Label));
    }

    [Fact]
    public void ReadValidationFolder_LabelsInSiblingGtFolder_AreFound()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("PALM-Validation400");
        TestImages.WriteValidationFolder(folder, 4);
        var gt = temp.Sub("PALM-Validation-GT");
        File.Move(Path.Combine(folder, "labels.csv"), Path.Combine(gt, "labels.csv"));

        Assert.Equal(4, DatasetReader.ReadValidationFolder(folder).Images.Count);
    }

    [Fact]
    public void ReadValidationFolder_NoLabelsFile_SaysWhereItLooked()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("valid");
        TestImages.WriteValidationFolder(folder, 2);
        File.Delete(Path.Combine(folder, "labels.csv"));

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadValidationFolder(folder));

        Assert.Contains("--labels", error.Message);
    }

    [Fact]
    public void ReadLabels_MissingColumns_NamesThem()
    {
        using var temp = new TempDir();
        var csv = temp.File("labels.csv");
        File.WriteAllLines(csv, ["ID,image,Fovea_X", "1,V0001.jpg,3"]);

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadLabels(csv));

        Assert.Contains("lacks the column(s) imgName, Label", error.Message);
        Assert.Contains(DatasetReader.LabelsHeader, error.Message);
    }

    [Fact]
    public void ReadLabels_LabelOtherThanZeroOrOne_ListsEveryBadRow()
    {
        using var temp = new TempDir();
        var csv = temp.File("labels.csv");
        File.WriteAllLines(csv, ["ID,imgName,Label,Fovea_X,Fovea_Y", "1,V0001.jpg,2,1,1", "2,V0002.jpg,1,1,1", "3,V0003.jpg,yes,1,1", "4,V0002.jpg,0,1,1"]);

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadLabels(csv));

        Assert.Contains("3 bad row(s)", error.Message);
        Assert.Contains("line 2 (V0001.jpg): label '2' is not 0 or 1", error.Message);
        Assert.Contains("line 4 (V0003.jpg): label 'yes' is not 0 or 1", error.Message);
        Assert.Contains("V0002.jpg is listed twice", error.Message);
    }

    [Theory]
    [InlineData(";", "")]
    [InlineData("\t", "")]
    [InlineData(";", "sep=;")]
    public void ReadLabels_EuropeanExcelCsv_GivesTheSameLabelsAsTheCommaFile(string separator, string hintLine)
    {
        using var temp = new TempDir();
        var folder = temp.Sub("valid");
        var expected = TestImages.WriteValidationFolder(folder, 6);
        var european = temp.File("labels-excel.csv");
        WriteAsEuropeanExcel(Path.Combine(folder, "labels.csv"), european, separator, hintLine);

        var labels = DatasetReader.ReadLabels(european);
        var list = DatasetReader.ReadValidationFolder(folder, european);

        Assert.Equal(DatasetReader.ReadLabels(Path.Combine(folder, "labels.csv")), labels);
        Assert.Equal(expected, list.Images.ToDictionary(i => Path.GetFileName(i.Path), i => i.Label));
    }

    [Fact]
    public void ReadLabels_EuropeanExcelCsvWithDecimalCommaLabels_ReadsThem()
    {
        using var temp = new TempDir();
        var csv = temp.File("labels.csv");
        WriteExcelFile(csv, ["ID;imgName;Label;Fovea_X;Fovea_Y", "1;V0001.jpg;1,0;1234,56;987,65", "2;V0002.jpg;0,0;1201,5;1002,25"]);

        var labels = DatasetReader.ReadLabels(csv);

        Assert.Equal(new Dictionary<string, int> { ["V0001.jpg"] = 1, ["V0002.jpg"] = 0 }, labels);
    }

    [Fact]
    public void ReadLabels_EuropeanExcelCsvWithABadRow_ReportsItsLineNumber()
    {
        using var temp = new TempDir();
        var csv = temp.File("labels.csv");
        WriteExcelFile(csv, ["ID;imgName;Label;Fovea_X;Fovea_Y", "1;V0001.jpg;1;1234,56;987,65", "", "2;V0002.jpg;yes;1201,5;1002,25", "3;V0003.jpg;0;1100;900"]);

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadLabels(csv));

        Assert.Contains("1 bad row(s): line 4 (V0002.jpg): label 'yes' is not 0 or 1.", error.Message);
    }

    [Fact]
    public void ReadLabels_EuropeanExcelCsvMissingAColumn_ShowsTheHeaderWithoutTheByteOrderMark()
    {
        using var temp = new TempDir();
        var csv = temp.File("labels.csv");
        WriteExcelFile(csv, ["ID;imgName;Fovea_X;Fovea_Y", "1;V0001.jpg;1234,56;987,65"]);

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadLabels(csv));

        Assert.Contains("lacks the column(s) Label", error.Message);
        Assert.Contains("(found 'ID,imgName,Fovea_X,Fovea_Y')", error.Message);
    }

    [Fact]
    public void ReadValidationFolder_ListedImageMissingAndImageUnlabelled_NamesBoth()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("valid");
        TestImages.WriteValidationFolder(folder, 4);
        File.Delete(Path.Combine(folder, "V0002.jpg"));
        File.Copy(Path.Combine(folder, "V0001.jpg"), Path.Combine(folder, "V0099.jpg"));

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadValidationFolder(folder));

        Assert.Contains("are not in", error.Message);
        Assert.Contains("V0002.jpg", error.Message);
        Assert.Contains("have no label", error.Message);
        Assert.Contains("V0099.jpg", error.Message);
    }

    [Fact]
    public void ReadValidationFolder_NamesDifferingOnlyInCase_AreReportedNotCrashed()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("valid");
        TestImages.WriteValidationFolder(folder, 3);
        File.Copy(Path.Combine(folder, "V0001.jpg"), Path.Combine(folder, "v0001.jpg"));

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadValidationFolder(folder));

        Assert.Contains("differ only in case", error.Message);
        Assert.Contains("V0001.jpg and v0001.jpg", error.Message);
    }

    [Fact]
    public void HoldoutSplit_Seeded_IsStratifiedDisjointAndRepeatable()
    {
        var images = Enumerable.Range(0, 100).Select(i => new LabeledImage($"/x/{i}.jpg", i < 60 ? 1 : 0)).ToList();

        var (train, holdout) = HoldoutSplit.Split(images, 0.2, seed: 7);
        var again = HoldoutSplit.Split(images, 0.2, seed: 7);
        var other = HoldoutSplit.Split(images, 0.2, seed: 8);

        Assert.Equal(12, holdout.Count(i => i.Label == 1));
        Assert.Equal(8, holdout.Count(i => i.Label == 0));
        Assert.Empty(train.Intersect(holdout));
        Assert.Equal(100, train.Count + holdout.Count);
        Assert.Equal(holdout, again.Holdout);
        Assert.NotEqual(holdout, other.Holdout);
    }

    // Excel in a locale whose decimal separator is ',' saves "CSV UTF-8" with ';' between fields, a byte order mark
    // and CRLF line endings; "Unicode text" uses tabs.
    private static void WriteAsEuropeanExcel(string commaCsv, string destination, string separator, string hintLine)
    {
        var lines = File.ReadAllLines(commaCsv).Select(line => string.Join(separator, line.Split(',').Select(f => double.TryParse(f, CultureInfo.InvariantCulture, out _) ? f.Replace('.', ',') : f)));
        WriteExcelFile(destination, hintLine.Length > 0 ? lines.Prepend(hintLine) : lines);
    }

    private static void WriteExcelFile(string path, IEnumerable<string> lines) =>
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\r\n")), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
}
