using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>
/// Tests that run dotnet build/pack on the repository's own projects share obj/ folders
/// (restore writes project.assets.json), so they never run at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DotnetCliCollection
{
    public const string Name = "dotnet CLI on the repository";
}
