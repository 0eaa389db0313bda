using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.DataSets;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

public class DataSetCatalogTests
{
    [Fact]
    public void Register_FolderInPlace_WritesAManifestTheCatalogLists()
    {
        using var temp = new TempDir();
        var folder = TestDataSets.WriteTree(temp.Sub("palm-small"));

        var registered = DataSetCatalog.Register(folder);
        var listed = Assert.Single(DataSetCatalog.List(temp.Path));

        Assert.Equal("palm-small", listed.Name);
        Assert.Equal(registered.Manifest.Report, listed.Manifest.Report, new JsonEquality());
        Assert.Equal("PALM-Training400", listed.Manifest.TrainingDir);
        Assert.Equal(Path.Combine(folder, "PALM-Validation-GT", "labels.csv"), listed.LabelsFile);
        Assert.Equal(8, DatasetReader.ReadTrainingFolder(listed.TrainingDir).Images.Count);
        Assert.Contains("already registered", Assert.Throws<PalmLabException>(() => DataSetCatalog.Register(folder)).Message);
    }

    [Fact]
    public void List_FoldersWithoutManifestAndHiddenFolders_AreNotDataSets()
    {
        using var temp = new TempDir();
        TestDataSets.WriteTree(temp.Sub("unregistered"));
        DataSetCatalog.Register(TestDataSets.WriteTree(temp.Sub(".importing-123")));
        DataSetCatalog.Register(TestDataSets.WriteTree(temp.Sub("b")));
        DataSetCatalog.Register(TestDataSets.WriteTree(temp.Sub("a")));

        Assert.Equal(["a", "b"], DataSetCatalog.List(temp.Path).Select(d => d.Name));
        Assert.Empty(DataSetCatalog.List(temp.File("missing")));
    }

    [Fact]
    public void Read_BrokenManifest_NamesTheFile()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("broken");
        File.WriteAllText(Path.Combine(folder, DataSetCatalog.ManifestFileName), """{ "name": "broken" }""");

        var error = Assert.Throws<PalmLabException>(() => DataSetCatalog.List(temp.Path));

        Assert.StartsWith(Path.Combine(folder, DataSetCatalog.ManifestFileName) + " is not a readable data set manifest", error.Message);
    }

    // Records holding lists compare lists by reference; their JSON shows whether they hold the same values.
    private sealed class JsonEquality : IEqualityComparer<DataSetReport>
    {
        public bool Equals(DataSetReport? x, DataSetReport? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(DataSetReport obj) => 0;
    }
}
