using CheckpointAudit.Knowledge;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary><see cref="SymbolNames"/>: namespace and type names compared part by part, exactly.</summary>
public class SymbolNamesTests
{
    private static readonly CSharpCompilation Compilation = ProbeCompilation.Of("""
        namespace Text.Json { public class Options { public class Nested { } } }
        namespace My.System.Text.Json { public class Options { } }
        public class Global { }
        """);

    private static INamedTypeSymbol Type(string metadataName) => Compilation.GetTypeByMetadataName(metadataName)!;

    [Fact]
    public void A_namespace_matches_its_whole_dotted_name_only()
    {
        var json = Type("System.Text.Json.JsonSerializer").ContainingNamespace;
        Assert.True(SymbolNames.IsNamespace(json, "System.Text.Json"));
        Assert.False(SymbolNames.IsNamespace(json, "Text.Json"));
        Assert.False(SymbolNames.IsNamespace(json, "System.Text"));
        Assert.False(SymbolNames.IsNamespace(json, "System.Text.Json.Serialization"));
        Assert.False(SymbolNames.IsNamespace(json, "XSystem.Text.Json"));
        Assert.False(SymbolNames.IsNamespace(Type("My.System.Text.Json.Options").ContainingNamespace, "System.Text.Json"));
        Assert.False(SymbolNames.IsNamespace(Type("Global").ContainingNamespace, "System"));
        Assert.False(SymbolNames.IsNamespace(null, "System"));
    }

    [Fact]
    public void A_type_matches_its_namespace_containing_types_and_name()
    {
        Assert.True(SymbolNames.IsType(Type("System.IO.File"), "System.IO.File"));
        Assert.True(SymbolNames.IsType(Type("Text.Json.Options+Nested"), "Text.Json.Options.Nested"));
        Assert.True(SymbolNames.IsType(Type("Global"), "Global"));
        Assert.False(SymbolNames.IsType(Type("Text.Json.Options"), "System.Text.Json.Options"));
        Assert.False(SymbolNames.IsType(Type("My.System.Text.Json.Options"), "System.Text.Json.Options"));
        Assert.False(SymbolNames.IsType(Type("System.IO.File"), "IO.File"));
        Assert.False(SymbolNames.IsType(Type("System.IO.File"), "File"));
        Assert.False(SymbolNames.IsType(Type("Global"), "X.Global"));
        Assert.False(SymbolNames.IsType(null, "System.IO.File"));
    }
}
