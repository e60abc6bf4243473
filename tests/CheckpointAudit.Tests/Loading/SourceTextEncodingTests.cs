using System.Text;
using CheckpointAudit.Loading;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CheckpointAudit.Tests.Loading;

/// <summary>
/// Sources are decoded as the compiler decodes them: UTF-8 without a byte order mark is UTF-8 (read as Latin-1 it
/// turned 'é' into two characters and a char literal into an error), and bytes that are not UTF-8 still load.
/// </summary>
public class SourceTextEncodingTests
{
    [Theory]
    [InlineData("utf-8")]
    [InlineData("latin1")]
    public async Task A_source_file_reads_as_the_compiler_reads_it(string encoding)
    {
        var root = Path.Combine(Path.GetTempPath(), "ckpt-encoding-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var bytes = (encoding == "utf-8" ? new UTF8Encoding(false) : Encoding.Latin1).GetBytes("class Names { char E = 'é'; string S = \"café\"; }");
            await File.WriteAllBytesAsync(Path.Combine(root, "Names.cs"), bytes);

            using var loaded = Assert.Single(SourceFolder.Read(root).Load(includeTests: false));
            var compilation = (await loaded.Project.GetCompilationAsync())!;

            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var text = (await loaded.Project.Documents.Single(d => d.Name == "Names.cs").GetTextAsync()).ToString();
            Assert.Contains("'é'", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
