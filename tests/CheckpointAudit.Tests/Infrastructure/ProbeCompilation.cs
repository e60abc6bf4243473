using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>One source file compiled against .NET 8, for tests that ask the shared knowledge about its symbols and operations directly.</summary>
internal static class ProbeCompilation
{
    public static CSharpCompilation Of(string source)
        => CSharpCompilation.Create("Probe", [CSharpSyntaxTree.ParseText(source)], TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    /// <summary>Several source files, each its own tree (for facts that depend on what other files say).</summary>
    public static CSharpCompilation Of(params string[] sources)
        => CSharpCompilation.Create("Probe", sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, path: $"File{i}.cs")), TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
