using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CheckpointAudit.Loading;

/// <summary>
/// What sources compile against when nothing is restored: the .NET 10 reference assemblies, and a library the rules
/// reason about only where the sources name it, as a project has a package only when it uses it (with no SQLite
/// provider referenced, the SQLite rules register nothing, as in the real build).
/// </summary>
public static class BundledReferences
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> Framework = new(() => [.. Basic.Reference.Assemblies.Net100.References.All]);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> AspNetCore = new(() =>
        AspNetCoreReferencePack.Assemblies().Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList());

    // The namespace a source names when it uses the library, and a type of the assembly to reference.
    private static readonly (string Namespace, Lazy<MetadataReference> Reference)[] Libraries =
    [
        ("Newtonsoft.Json", Of(typeof(Newtonsoft.Json.JsonConvert))),
        ("Microsoft.Data.Sqlite", Of(typeof(Microsoft.Data.Sqlite.SqliteConnection))),
        ("System.Data.SQLite", Of(typeof(System.Data.SQLite.SQLiteConnection))),
        ("Dapper", Of(typeof(Dapper.SqlMapper))),
        // EF Core with its SQLite provider: UseSqlite, DbContext, migrations and interceptors bind.
        ("Microsoft.EntityFrameworkCore", Of(typeof(Microsoft.EntityFrameworkCore.DbContext))),
        ("Microsoft.EntityFrameworkCore", Of(typeof(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions))),
        ("Microsoft.EntityFrameworkCore", Of(typeof(Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions))),
        ("Microsoft.EntityFrameworkCore", Of(typeof(Microsoft.EntityFrameworkCore.IndexAttribute))),
        // ASP.NET Core Identity's contexts (IdentityDbContext), the base of most web apps' DbContext.
        ("Microsoft.AspNetCore.Identity.EntityFrameworkCore", Of(typeof(Microsoft.AspNetCore.Identity.EntityFrameworkCore.IdentityDbContext))),
        // Roslyn components (analyzers, generators, code fixes), CheckpointAudit's own sources among them.
        ("Microsoft.CodeAnalysis", Of(typeof(Compilation))),
        ("Microsoft.CodeAnalysis", Of(typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation))),
        ("Microsoft.CodeAnalysis", Of(typeof(Workspace))),
        ("Microsoft.CodeAnalysis", Of(typeof(Microsoft.CodeAnalysis.CSharp.Formatting.CSharpFormattingOptions))),
        ("System.Composition", Of(typeof(System.Composition.ExportAttribute))),
    ];

    /// <summary>The references for sources with these texts; ASP.NET Core's too for a web project or sources that name it.</summary>
    public static IReadOnlyList<MetadataReference> For(IReadOnlyCollection<SourceText> texts, bool isWeb)
    {
        var contents = texts.Select(t => t.ToString()).ToList();
        bool Names(string name) => contents.Any(c => c.Contains(name, StringComparison.Ordinal));
        return
        [
            .. Framework.Value,
            .. Libraries.Where(l => Names(l.Namespace)).Select(l => l.Reference.Value),
            .. isWeb || Names("Microsoft.AspNetCore") ? AspNetCore.Value : [],
        ];
    }

    private static Lazy<MetadataReference> Of(Type type) => new(() => MetadataReference.CreateFromFile(type.Assembly.Location));
}
