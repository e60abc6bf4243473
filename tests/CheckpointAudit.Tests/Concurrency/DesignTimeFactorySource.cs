namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// An EF Core context configured twice: in an <c>IDesignTimeDbContextFactory</c>, which only <c>dotnet ef</c> runs,
/// and where the program creates it. Each argument is the options builder expression, markup included.
/// </summary>
internal static class DesignTimeFactorySource
{
    public static string With(string designTimeOptions, string runtimeOptions) => $$"""
        using Microsoft.EntityFrameworkCore;
        using Microsoft.EntityFrameworkCore.Design;

        class AppContext : DbContext
        {
            public AppContext(DbContextOptions<AppContext> options) : base(options) { }
        }

        class DesignTimeFactory : IDesignTimeDbContextFactory<AppContext>
        {
            public AppContext CreateDbContext(string[] args)
                => new AppContext({{designTimeOptions}}.Options);
        }

        class Runtime
        {
            public AppContext Create()
                => new AppContext({{runtimeOptions}}.Options);
        }
        """;
}
