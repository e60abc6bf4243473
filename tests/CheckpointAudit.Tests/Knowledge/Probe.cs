using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>A compiled probe source and the operations of its expressions, found by their text.</summary>
internal sealed class Probe
{
    private readonly SemanticModel _model;

    public Probe(string source)
    {
        Compilation = ProbeCompilation.Of(source);
        Assert.Empty(Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        _model = Compilation.GetSemanticModel(Compilation.SyntaxTrees[0]);
    }

    public CSharpCompilation Compilation { get; }

    /// <summary>The operation of the first expression whose text is <paramref name="text"/>.</summary>
    public IOperation Expression(string text)
        => _model.GetOperation(Compilation.SyntaxTrees[0].GetRoot().DescendantNodes().OfType<ExpressionSyntax>().First(e => e.ToString() == text))!;

    /// <summary>The body operation of the method named <paramref name="name"/>.</summary>
    public IOperation Body(string name)
        => _model.GetOperation(Compilation.SyntaxTrees[0].GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == name))!;

    public INamedTypeSymbol Type(string metadataName) => Compilation.GetTypeByMetadataName(metadataName)!;
}
