using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

public class LabelsXlsxTests
{
    private static readonly LabelRow[] Rows =
    [
        new(1, "V0001.jpg", 1, 120.5, 98.25),
        new(2, "V0002.jpg", 0, 130, 101),
        new(3, "V0003.jpg", 0, 0, 0),
        new(4, "V0004.jpg", 1, 1304.55, 1021.4),
    ];

    [Fact]
    public void ReadLabels_XlsxAndCsvOfTheSameRows_GiveTheSameLabels()
    {
        using var temp = new TempDir();
        var xlsx = temp.File(OfficialLayout.XlsxLabelsName);
        var csv = temp.File("labels.csv");
        LabelsXlsx.Write(xlsx, Rows);
        LabelsCsv.Write(csv, Rows);

        var fromXlsx = DatasetReader.ReadLabels(xlsx);
        var fromCsv = DatasetReader.ReadLabels(csv);

        Assert.Equal(Rows.ToDictionary(r => r.ImgName, r => r.Label), fromXlsx);
        Assert.Equal(fromCsv, fromXlsx);
    }

    [Fact]
    public void Read_WrittenSheet_HasTheOfficialHeaderAndEveryCell()
    {
        using var temp = new TempDir();
        var xlsx = temp.File("labels.xlsx");
        LabelsXlsx.Write(xlsx, Rows);

        var table = LabelsXlsx.Read(xlsx);

        Assert.Equal(DatasetReader.LabelsHeader.Split(','), table.Header);
        Assert.Equal([2L, 3L, 4L, 5L], table.Rows.Select(r => r.Number));
        Assert.Equal(["4", "V0004.jpg", "1", "1304.55", "1021.4"], table.Rows[3].Cells);
    }

    [Fact]
    public void Write_SameRowsTwice_GivesIdenticalBytes()
    {
        using var temp = new TempDir();
        LabelsXlsx.Write(temp.File("a.xlsx"), Rows);
        Thread.Sleep(2100); // zip timestamps have two-second resolution
        LabelsXlsx.Write(temp.File("b.xlsx"), Rows);

        Assert.Equal(File.ReadAllBytes(temp.File("a.xlsx")), File.ReadAllBytes(temp.File("b.xlsx")));
    }

    [Fact]
    public void ReadLabels_XlsxWithInlineStringsDecimalLabelsAndGaps_ReadsThem()
    {
        using var temp = new TempDir();
        var xlsx = temp.File("inline.xlsx");
        WriteInlineSheet(xlsx,
            ["ID", "imgName", "Label", "Fovea_X", "Fovea_Y"],
            [1, "V0001.jpg", 1.0, 10, 20],
            [],
            [2, "V0002.jpg", 0.0, 10, 20]);

        var labels = DatasetReader.ReadLabels(xlsx);

        Assert.Equal(new Dictionary<string, int> { ["V0001.jpg"] = 1, ["V0002.jpg"] = 0 }, labels);
    }

    [Fact]
    public void ReadLabels_XlsxMissingColumns_NamesThem()
    {
        using var temp = new TempDir();
        var xlsx = temp.File("labels.xlsx");
        WriteInlineSheet(xlsx, ["ID", "image", "Fovea_X"], [1, "V0001.jpg", 3]);

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadLabels(xlsx));

        Assert.Contains(xlsx, error.Message);
        Assert.Contains("lacks the column(s) imgName, Label", error.Message);
        Assert.Contains(DatasetReader.LabelsHeader, error.Message);
    }

    [Fact]
    public void ReadLabels_XlsxBadLabelsAndDuplicates_ListsEveryBadRowByItsSheetRow()
    {
        using var temp = new TempDir();
        var xlsx = temp.File("labels.xlsx");
        WriteInlineSheet(xlsx,
            ["ID", "imgName", "Label"],
            [1, "V0001.jpg", 2],
            [2, "V0002.jpg", 1],
            [3, "V0003.jpg", "yes"],
            [4, "V0002.jpg", 0]);

        var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadLabels(xlsx));

        Assert.Contains("3 bad row(s)", error.Message);
        Assert.Contains("row 2 (V0001.jpg): label '2.0' is not 0 or 1", error.Message);
        Assert.Contains("row 4 (V0003.jpg): label 'yes' is not 0 or 1", error.Message);
        Assert.Contains("row 5: V0002.jpg is listed twice", error.Message);
    }

    [Fact]
    public void ReadLabels_CorruptXlsx_SaysSoNamingTheFile()
    {
        using var temp = new TempDir();
        var garbage = temp.File("garbage.xlsx");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 37 % 251))]);
        var truncated = temp.File("truncated.xlsx");
        LabelsXlsx.Write(truncated, Rows);
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..400]);
        var otherZip = temp.File("other.xlsx");
        using (var zip = ZipFile.Open(otherZip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            writer.Write("not a workbook");
        }

        foreach (var path in new[] { garbage, truncated, otherZip })
        {
            var error = Assert.Throws<PalmLabException>(() => DatasetReader.ReadLabels(path));
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void ReadValidationFolder_OnlyTheOfficialXlsxInTheGtFolder_IsFound()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("PALM-Validation400");
        var expected = TestImages.WriteValidationFolder(folder, 4);
        File.Delete(Path.Combine(folder, "labels.csv"));
        LabelsXlsx.Write(Path.Combine(temp.Sub("PALM-Validation-GT"), OfficialLayout.XlsxLabelsName),
            expected.Select((p, i) => new LabelRow(i + 1, p.Key, p.Value, 0, 0)));

        var list = DatasetReader.ReadValidationFolder(folder);

        Assert.Equal(expected, list.Images.ToDictionary(i => Path.GetFileName(i.Path), i => i.Label));
    }

    // Cells as another tool might write them: inline strings, numbers stored as "1.0", no cell references, an empty row.
    private static void WriteInlineSheet(string path, params object[][] rows)
    {
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        foreach (var row in rows)
        {
            data.Append(new Row(row.Select(value => value is string text
                ? new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) }
                : new Cell { CellValue = new CellValue(Convert.ToDouble(value).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)) })));
        }
        sheetPart.Worksheet = new Worksheet(data);
        workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1, Name = "Labels" }));
    }
}
