namespace PalmLab.Web.DataSets;

/// <summary>
/// How far an import or generation from the Data sets page has come: <see cref="Stage"/> "upload" counts bytes of all files
/// (with <see cref="File"/> and <see cref="FileDone"/> for the file being copied); "extract", "check" and "generate" count files.
/// </summary>
public sealed record ImportProgress(string Stage, long Done, long Total, int File = -1, long FileDone = 0);
