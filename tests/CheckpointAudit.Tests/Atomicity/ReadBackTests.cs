using System.Collections.Immutable;
using CheckpointAudit.Atomicity;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

/// <summary>
/// A file the program reads back is its state: the read may be in another source file, or go through the project's
/// own reader (an <c>IDiskProvider.ReadAllText</c>), and the write may go through an interface another project implements.
/// </summary>
public class ReadBackTests
{
    private const string Disk = """
        using System.IO;
        namespace Common;
        public interface IDiskProvider
        {
            string ReadAllText(string filename);
            void WriteAllText(string filename, string contents);
        }
        public class DiskProvider : IDiskProvider
        {
            public string ReadAllText(string filename) => File.ReadAllText(filename);
            public void WriteAllText(string filename, string contents)
            {
                using var stream = new FileStream(filename, FileMode.Create, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(contents);
            }
        }
        """;

    private const string ConfigProvider = """
        using Common;
        namespace Core;
        public class ConfigFileProvider
        {
            private readonly IDiskProvider _disk;
            private readonly string _configFile = "config.xml";
            public ConfigFileProvider(IDiskProvider disk) => _disk = disk;
            public string Load() => _disk.ReadAllText(_configFile);
            public void Save(string xml) => _disk.WriteAllText(_configFile, xml);
        }
        """;

    private static SyntaxTree Tree(string source, string path) => CSharpSyntaxTree.ParseText(source, path: path);

    private static async Task<ImmutableArray<Diagnostic>> Overwrites(Compilation compilation)
        => (await compilation.WithAnalyzers([new AtomicityAnalyzer()]).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id == "CKPT201").ToImmutableArray();

    [Fact]
    public async Task A_path_read_back_through_the_projects_reader_is_state()
    {
        var compilation = CSharpCompilation.Create("App", [Tree(Disk, "Disk.cs"), Tree(ConfigProvider, "ConfigFileProvider.cs")], TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var save = Assert.Single(await Overwrites(compilation), d => d.Location.SourceTree!.FilePath == "ConfigFileProvider.cs");
        Assert.Equal((DataHeld.State, "this file reads it back (the path from '_configFile')"), DataHeldDiagnostic.Read(save));
    }

    [Fact]
    public async Task An_interface_implemented_in_a_referenced_project_is_followed()
    {
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        var common = CSharpCompilation.Create("Common", [Tree(Disk, "Disk.cs")], TestReferences.Net80, options);
        var core = CSharpCompilation.Create("Core", [Tree(ConfigProvider, "ConfigFileProvider.cs")], [.. TestReferences.Net80, common.ToMetadataReference()], options);
        var save = Assert.Single(await Overwrites(core));
        Assert.Contains("_disk.WriteAllText(_configFile, xml)", save.Location.SourceTree!.ToString().Substring(save.Location.SourceSpan.Start, save.Location.SourceSpan.Length));
        Assert.Equal(DataHeld.State, DataHeldDiagnostic.Read(save).Held);
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("netstandard2.0")]
    public async Task A_helper_in_a_project_built_against_other_references_is_followed(string commonTarget)
    {
        // Core sees Common's symbols retargeted (or forwarded from netstandard), while the bodies refer to the originals.
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        var common = CSharpCompilation.Create("Common", [Tree(Disk, "Disk.cs")], commonTarget == "net8.0" ? [.. TestReferences.Net80] : TestReferences.NetStandard20, options);
        var core = CSharpCompilation.Create("Core", [Tree(ConfigProvider, "ConfigFileProvider.cs")], [.. TestReferences.Net100, common.ToMetadataReference()], options);
        var save = Assert.Single(await Overwrites(core));
        Assert.Equal((DataHeld.State, "this file reads it back (the path from '_configFile')"), DataHeldDiagnostic.Read(save));
    }

    [Fact]
    public async Task A_path_member_read_in_another_file_is_state()
    {
        const string Paths = """
            namespace App;
            public static class AppPaths { public static string SessionFile => System.IO.Path.Combine(System.AppContext.BaseDirectory, "session.json"); }
            """;
        const string Writer = """
            using System.IO;
            namespace App;
            class SessionWriter { public void Save(string json) => File.WriteAllText(AppPaths.SessionFile, json); }
            """;
        const string Reader = """
            using System.IO;
            namespace App;
            class SessionReader { public string Load() => File.Exists(AppPaths.SessionFile) ? File.ReadAllText(AppPaths.SessionFile) : "{}"; }
            """;
        var compilation = CSharpCompilation.Create("App", [Tree(Paths, "AppPaths.cs"), Tree(Writer, "SessionWriter.cs"), Tree(Reader, "SessionReader.cs")], TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var save = Assert.Single(await Overwrites(compilation));
        Assert.Equal((DataHeld.State, "SessionReader.cs reads it back (the path from 'SessionFile')"), DataHeldDiagnostic.Read(save));
    }

    [Fact]
    public async Task A_path_no_file_reads_stays_unclassified()
    {
        const string Writer = """
            using System.IO;
            namespace App;
            public static class AppPaths { public static string NotesFile => "notes.txt"; }
            class Notes { public void Save(string text) => File.WriteAllText(AppPaths.NotesFile, text); }
            class Other { public string Load(string path) => File.ReadAllText(path); }
            """;
        var compilation = CSharpCompilation.Create("App", [Tree(Writer, "Notes.cs")], TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var save = Assert.Single(await Overwrites(compilation));
        Assert.Equal((DataHeld.Unclassified, string.Empty), DataHeldDiagnostic.Read(save));
    }
}
