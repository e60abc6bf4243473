using CheckpointAudit.Knowledge;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>
/// <see cref="OperationTree.DeclaredValue"/>, which traces paths and values through locals for many rules: the value a
/// local is declared with in a body, and nothing for locals declared without one or outside that body.
/// </summary>
public class OperationTreeTests
{
    private const string Source = """
        using System;
        using System.IO;

        class Store
        {
            void Save(object input, string[] names)
            {
                var path = "settings.json";
                string first = "a", second = "b";
                using var stream = File.OpenRead(path);
                string assignedLater;
                assignedLater = "later";
                int.TryParse("1", out var parsed);
                if (input is string text) { }
                foreach (var name in names) { }
                try { } catch (IOException error) { }
                Action work = () =>
                {
                    var inner = path + ".tmp";
                    Use(inner, path);
                };
                Use(path, first, second, stream, assignedLater, parsed, text, work);
            }

            static void Use(params object[] values) { }
        }
        """;

    private static (IOperation Body, Func<string, ILocalSymbol> Local, IOperation Lambda) Compile()
    {
        var compilation = ProbeCompilation.Of(Source);
        var tree = compilation.SyntaxTrees[0];
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == "Save");
        var body = model.GetOperation(method)!;
        var locals = body.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Select(r => r.Local)
            .Concat(body.DescendantsAndSelf().OfType<IVariableDeclaratorOperation>().Select(d => d.Symbol))
            .ToList();
        var lambda = body.Descendants().OfType<IAnonymousFunctionOperation>().Single();
        return (body, name => locals.First(l => l.Name == name), lambda);
    }

    private static object? ValueOf(IOperation? value) => value?.ConstantValue is { HasValue: true } constant ? constant.Value : value?.Syntax.ToString();

    [Fact]
    public void The_initializer_of_a_local_declared_in_the_body()
    {
        var (body, local, _) = Compile();
        Assert.Equal("settings.json", ValueOf(OperationTree.DeclaredValue(local("path"), body)));
        Assert.Equal("b", ValueOf(OperationTree.DeclaredValue(local("second"), body)));
        Assert.Equal("File.OpenRead(path)", ValueOf(OperationTree.DeclaredValue(local("stream"), body)));
    }

    [Fact]
    public void Nothing_for_locals_declared_without_an_initializer_or_assigned_later()
    {
        var (body, local, _) = Compile();
        Assert.All(
            ["assignedLater", "parsed", "text", "name", "error"],
            name => Assert.Null(OperationTree.DeclaredValue(local(name), body)));
    }

    [Fact]
    public void A_lambda_body_sees_its_own_locals_and_not_those_of_the_method_around_it()
    {
        var (body, local, lambda) = Compile();
        Assert.Equal("path + \".tmp\"", ValueOf(OperationTree.DeclaredValue(local("inner"), lambda)));
        Assert.Null(OperationTree.DeclaredValue(local("path"), lambda));
        Assert.Equal("path + \".tmp\"", ValueOf(OperationTree.DeclaredValue(local("inner"), body)));
    }
}
