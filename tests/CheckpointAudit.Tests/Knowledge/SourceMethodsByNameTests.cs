using CheckpointAudit.Knowledge;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>
/// The methods of a name are listed from one walk of every member, and must come out as the compiler's search by that
/// name gives them, in its order: summaries that combine implementations take the first one's serializer or parse.
/// </summary>
public class SourceMethodsByNameTests
{
    // Partial types over files, nested and generic types, overloads, explicit implementations, accessors and
    // local functions (not members), a field and a property sharing a method's name.
    private static readonly string[] Files =
    [
        """
        namespace App.Stores
        {
            public interface IStore<T> { void Save(T value); T Load(); }
            public partial class JsonStore<T> : IStore<T>
            {
                public void Save(T value) { }
                public void Save(T value, string path) { void Local() { } Local(); }
                public T Load() => default!;
            }
        }
        """,
        """
        namespace App
        {
            public class Settings
            {
                public Settings() { }
                ~Settings() { }
                public int Load { get; set; }
                public string Save = "";
                public int this[int i] => i;
                public event System.Action? Saved;
                public static Settings operator +(Settings a, Settings b) => a;
                public static implicit operator int(Settings s) => 0;
            }
            public class Outer
            {
                public class Inner : App.Stores.IStore<Settings>
                {
                    void App.Stores.IStore<Settings>.Save(Settings value) { }
                    public Settings Load() => new();
                }

                public static void Save() { }
            }
        }
        """,
        """
        namespace App.Stores
        {
            public partial class JsonStore<T>
            {
                public static void Save(string path) { }
                public void Execute() { }
            }

            public abstract class Job { public abstract void Execute(); public virtual void Save() { } }
            public sealed class CopyJob : Job { public override void Execute() { } public override void Save() { } }
            public record Snapshot(string Name) { public void Save() { } }
            public delegate void Saved(string path);
        }
        """,
    ];

    [Theory]
    [InlineData("Save")]
    [InlineData("Load")]
    [InlineData("Execute")]
    [InlineData("Local")]
    [InlineData("App.Stores.IStore<App.Settings>.Save")]
    [InlineData("op_Addition")]
    [InlineData("op_Implicit")]
    [InlineData(".ctor")]
    [InlineData("Finalize")]
    [InlineData("get_Item")]
    [InlineData("add_Saved")]
    [InlineData("ToString")]
    [InlineData("Equals")]
    [InlineData("Deconstruct")]
    [InlineData("Invoke")]
    [InlineData("<Clone>$")]
    [InlineData("Missing")]
    public void A_name_gives_the_methods_the_compilers_search_gives_in_its_order(string name)
    {
        var compilation = CSharpCompilation.Create(
            "Probe",
            Files.Select(f => CSharpSyntaxTree.ParseText(f)),
            TestReferences.Net80,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var expected = compilation.GetSymbolsWithName(name, SymbolFilter.Member).OfType<IMethodSymbol>().ToList();
        var listed = SourceMethodsByName.Of(compilation).Named(name, default);

        Assert.Equal(expected, listed, SymbolEqualityComparer.Default);
        if (name is "Save" or "Load" or "Execute")
        {
            Assert.True(listed.Length >= 3, $"{name}: {listed.Length} methods; the probe declares more");
        }
    }
}
