using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>
/// Tests that run dotnet build/pack on the repository's own projects share obj/ folders
/// (restore writes project.assets.json), so they never run at the same time. The package is packed once for all of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DotnetCliCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "dotnet CLI on the repository";
}
