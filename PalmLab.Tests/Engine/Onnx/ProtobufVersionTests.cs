using System.Reflection;
using PalmLab.Engine.Onnx;

namespace PalmLab.Tests.Engine.Onnx;

public class ProtobufVersionTests
{
    // The CLI and the web app load exactly the versions their deps.json name; a Google.Protobuf older than the one the
    // Engine compiled against fails at the first ONNX read ("Could not load Google.Protobuf 3.30.2"). xunit's loader
    // tolerates the gap, so the importer's own tests cannot see it: compare the versions themselves.
    [Theory]
    [InlineData("PalmLab.Cli")]
    [InlineData("PalmLab.Web")]
    [InlineData("PalmLab.Tests")]
    public void TheProtobufShipped_IsTheOneTheEngineCompiledAgainst(string project)
    {
        var referenced = typeof(OnnxResNetImporter).Assembly.GetReferencedAssemblies().Single(a => a.Name == "Google.Protobuf").Version;
        var output = project == "PalmLab.Tests"
            ? AppContext.BaseDirectory
            : Directory.GetParent(Path.Combine(Support.RepoPaths.Root, project, "bin", Configuration, "net10.0", project + ".dll"))!.FullName;
        var shipped = AssemblyName.GetAssemblyName(Path.Combine(output, "Google.Protobuf.dll")).Version;

        Assert.Equal(referenced, shipped);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
