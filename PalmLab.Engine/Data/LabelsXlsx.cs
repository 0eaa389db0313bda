using System.Globalization;
using System.IO.Compression;
using System.IO.Packaging;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace PalmLab.Engine.Data;

/// <summary>
/// The official labels workbook (PM_Label_and_Fovea_Location.xlsx): its first worksheet holds the header
/// <see cref="DatasetReader.LabelsHeader"/> and a row per image. Checking the cells is <see cref="DatasetReader.ReadLabels"/>'s job.
/// </summary>
public static class LabelsXlsx
{
    // Cells right of this column are ignored (the label sheet has five): a hostile file could ask for 16,384 per row.
    private const int MaxReadColumns = 64;
    private const int MaxRows = 100_000;

    // The official sheet is a few kilobytes; the cap keeps a hostile (zip-bomb) part from exhausting memory.
    private const long MaxCharactersInPart = 64L * 1024 * 1024;
    private const int MaxColumns = 16_384;
    private static readonly DateTimeOffset FixedZipTime = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes <paramref name="rows"/> under the official header (strings shared, numbers as numbers). The same rows give
    /// the same bytes: relationship ids and zip timestamps are fixed.
    /// </summary>
    public static void Write(string path, IEnumerable<LabelRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rId1");
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>("rId1");
            var stringsPart = workbookPart.AddNewPart<SharedStringTablePart>("rId2");
            var strings = new List<string>();
            Cell Text(string reference, string value)
            {
                var index = strings.IndexOf(value);
                if (index < 0)
                {
                    index = strings.Count;
                    strings.Add(value);
                }
                return new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index.ToString(CultureInfo.InvariantCulture)) };
            }
            static Cell Number(string reference, double value) =>
                new() { CellReference = reference, CellValue = new CellValue(value.ToString("0.##", CultureInfo.InvariantCulture)) };

            var data = new SheetData(new Row(DatasetReader.LabelsHeader.Split(',').Select((h, c) => Text($"{(char)('A' + c)}1", h))) { RowIndex = 1 });
            uint number = 1;
            foreach (var row in rows)
            {
                number++;
                data.Append(new Row(
                    Number($"A{number}", row.Id), Text($"B{number}", row.ImgName), Number($"C{number}", row.Label),
                    Number($"D{number}", row.FoveaX), Number($"E{number}", row.FoveaY)) { RowIndex = number });
            }
            sheetPart.Worksheet = new Worksheet(data);
            stringsPart.SharedStringTable = new SharedStringTable(strings.Select(s => new SharedStringItem(new Text(s))));
            workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Id = "rId1", SheetId = 1, Name = "Sheet1" }));
        }
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            foreach (var entry in zip.Entries)
            {
                entry.LastWriteTime = FixedZipTime;
            }
        }
        File.WriteAllBytes(path, buffer.ToArray());
    }

    /// <summary>
    /// Reads the first worksheet as text: the first non-empty row is the header, every later non-empty row a data row
    /// numbered as in the spreadsheet. Shared strings, inline strings and numbers are all read; numbers keep their stored text.
    /// </summary>
    /// <exception cref="PalmLabException">The file is not a readable workbook; the message names it.</exception>
    public static LabelsTable Read(string path)
    {
        try
        {
            using var document = SpreadsheetDocument.Open(path, false, new OpenSettings { MaxCharactersInPart = MaxCharactersInPart });
            var workbookPart = document.WorkbookPart ?? throw new PalmLabException($"{path}: not an .xlsx workbook (it has no workbook part).");
            var sheet = workbookPart.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault()
                ?? throw new PalmLabException($"{path}: the workbook has no worksheet.");
            if (sheet.Id?.Value is not { } id || !workbookPart.TryGetPartById(id, out var part) || part is not WorksheetPart sheetPart)
            {
                throw new PalmLabException($"{path}: the first sheet ('{sheet.Name}') is not a worksheet.");
            }
            var shared = workbookPart.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];

            List<string>? header = null;
            var rows = new List<LabelsTableRow>();
            var number = 0L;
            foreach (var row in sheetPart.Worksheet?.GetFirstChild<SheetData>()?.Elements<Row>() ?? [])
            {
                number = row.RowIndex?.Value is { } index ? index : number + 1;
                var cells = ReadCells(row, shared, path);
                if (cells.All(c => c.Length == 0))
                {
                    continue;
                }
                if (header is null)
                {
                    header = cells;
                }
                else if (rows.Count == MaxRows)
                {
                    throw new PalmLabException($"{path}: more than {MaxRows} label rows; this is not a label sheet.");
                }
                else
                {
                    rows.Add(new LabelsTableRow(number, cells));
                }
            }
            return new LabelsTable(header ?? [], rows);
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or XmlException
            or IOException or InvalidOperationException or ArgumentException or NotSupportedException or FormatException or OverflowException)
        {
            throw new PalmLabException($"{path}: not a readable .xlsx workbook ({e.Message}).", e);
        }
    }

    private static List<string> ReadCells(Row row, List<string> shared, string path)
    {
        var cells = new List<string>();
        var column = 0;
        foreach (var cell in row.Elements<Cell>())
        {
            column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference, path) : column;
            if (column >= MaxReadColumns)
            {
                break;
            }
            while (cells.Count <= column)
            {
                cells.Add("");
            }
            cells[column] = CellText(cell, shared, path).Trim();
            column++;
        }
        return cells;
    }

    private static string CellText(Cell cell, List<string> shared, string path)
    {
        var value = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < shared.Count
                ? shared[index]
                : throw new PalmLabException($"{path}: cell {cell.CellReference} refers to shared string '{value}', which the workbook lacks.");
        }
        return value;
    }

    // "B12" -> 1: the letters before the row number, base 26 with A = 1.
    private static int ColumnIndex(string reference, string path)
    {
        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            column = column * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
            if (column > MaxColumns)
            {
                throw new PalmLabException($"{path}: cell reference {reference} is beyond the last column of a worksheet.");
            }
        }
        return column == 0 ? throw new PalmLabException($"{path}: '{reference}' is not a cell reference.") : column - 1;
    }
}
