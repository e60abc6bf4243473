using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>Reference assemblies from packages restored with the tests: nothing is downloaded at test time.</summary>
internal static class TestReferences
{
    /// <summary>An empty reference set; the Basic.Reference.Assemblies DLLs are added as additional references.</summary>
    public static ReferenceAssemblies None { get; } = new("net8.0");

    public static ImmutableArray<PortableExecutableReference> Net80 => Basic.Reference.Assemblies.Net80.References.All;

    public static ImmutableArray<PortableExecutableReference> Net100 => Basic.Reference.Assemblies.Net100.References.All;

    public static ImmutableArray<MetadataReference> Net472 { get; } = FromFolder("microsoft.netframework.referenceassemblies.net472/1.0.3/build/.NETFramework/v4.7.2", includeFacades: true);

    public static ImmutableArray<MetadataReference> NetStandard20 { get; } = FromFolder("netstandard.library/2.0.3/build/netstandard2.0/ref", includeFacades: false);

    public static ImmutableArray<MetadataReference> Newtonsoft { get; } = FromFolder("newtonsoft.json/13.0.4/lib/netstandard2.0", includeFacades: false);

    /// <summary>Microsoft.Data.Sqlite, as the tests themselves run it.</summary>
    public static ImmutableArray<MetadataReference> Sqlite { get; } = ImmutableArray.Create<MetadataReference>(MetadataReference.CreateFromFile(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location));

    /// <summary>System.Data.SQLite, as the tests themselves run it.</summary>
    public static ImmutableArray<MetadataReference> SystemDataSqlite { get; } = ImmutableArray.Create<MetadataReference>(MetadataReference.CreateFromFile(typeof(System.Data.SQLite.SQLiteConnection).Assembly.Location));

    /// <summary>ASP.NET Core (MVC, minimal APIs, headers, hosting), as the tests themselves run it.</summary>
    public static ImmutableArray<MetadataReference> AspNetCore { get; } = Directory
        .GetFiles(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!, "Microsoft.*.dll")
        .Where(f => Path.GetFileName(f).StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
            || Path.GetFileName(f).StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
            || Path.GetFileName(f) is "Microsoft.Net.Http.Headers.dll" or "Microsoft.JSInterop.dll")
        .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
        .ToImmutableArray();

    /// <summary>Makes the project a test project, as the analyzers tell them: it references an assembly named xunit.core.</summary>
    public static void AsTestProject(SolutionState state, ImmutableArray<PortableExecutableReference> frameworkReferences)
    {
        state.AdditionalProjectReferences.Add("xunit.core");
        state.AdditionalProjects["xunit.core"].Sources.Add("namespace Xunit { public sealed class FactAttribute : System.Attribute { } }");
        state.AdditionalProjects["xunit.core"].AdditionalReferences.AddRange(frameworkReferences);
    }

    /// <summary>EF Core with its SQLite provider, as the tests themselves run it.</summary>
    public static ImmutableArray<MetadataReference> EfCoreSqlite { get; } = ImmutableArray.Create<MetadataReference>(
        MetadataReference.CreateFromFile(typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions).Assembly.Location));

    /// <summary>Test code using EF Core on SQLite compiles against .NET 10, the ASP.NET Core shared framework (dependency injection) and EF Core.</summary>
    public static void UseEfCoreSqlite(ProjectState state)
    {
        UseAspNetCore(state);
        state.AdditionalReferences.AddRange(EfCoreSqlite);
    }

    /// <summary>Test code of a web application compiles against .NET 10 and ASP.NET Core, with Microsoft.Data.Sqlite.</summary>
    public static void UseAspNetCore(ProjectState state)
    {
        UseSqlite(state);
        state.AdditionalReferences.AddRange(AspNetCore);
    }

    /// <summary>
    /// Test code that uses SQLite compiles against .NET 10 reference assemblies, like the provider packages
    /// themselves (Microsoft.Data.Sqlite 11 is built for .NET 10), with Microsoft.Data.Sqlite and, when asked,
    /// System.Data.SQLite.
    /// </summary>
    public static void UseSqlite(ProjectState state, bool systemDataSqlite = false)
    {
        state.AdditionalReferences.Clear();
        state.AdditionalReferences.AddRange(Net100);
        state.AdditionalReferences.AddRange(Sqlite);
        if (systemDataSqlite)
        {
            state.AdditionalReferences.AddRange(SystemDataSqlite);
        }
    }

    private static ImmutableArray<MetadataReference> FromFolder(string relative, bool includeFacades)
    {
        var root = typeof(TestReferences).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        var folder = Path.Combine(root, relative);
        var files = Directory.GetFiles(folder, "*.dll").AsEnumerable();
        if (includeFacades && Directory.Exists(Path.Combine(folder, "Facades")))
        {
            files = files.Concat(Directory.GetFiles(Path.Combine(folder, "Facades"), "*.dll"));
        }

        // The EnterpriseServices thunks are native images, not reference assemblies.
        return files.Where(f => !Path.GetFileName(f).StartsWith("System.EnterpriseServices", StringComparison.Ordinal)).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray();
    }
}
