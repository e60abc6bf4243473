using System.IO.Compression;
using CheckpointAudit.Tests.Infrastructure;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>Packs CheckpointAudit once into a local folder feed for the end-to-end tests.</summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        Root = Directory.CreateTempSubdirectory("ckpt-e2e-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Packages = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        Version = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");

        Pack = DotnetCli.Run(
            RepositoryFiles.Root,
            Packages,
            "pack", RepositoryFiles.PathOf("src", "CheckpointAudit", "CheckpointAudit.csproj"),
            "-c", "Release", "-o", Feed, "-p:Version=" + Version);
        PackagePath = Path.Combine(Feed, $"CheckpointAudit.{Version}.nupkg");
    }

    public string Root { get; }

    public string Feed { get; }

    public string Packages { get; }

    public string Version { get; }

    public DotnetCli.Result Pack { get; }

    public string PackagePath { get; }

    public IReadOnlyList<string> Entries()
    {
        using var zip = ZipFile.OpenRead(PackagePath);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    public string Nuspec()
    {
        using var zip = ZipFile.OpenRead(PackagePath);
        using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        return reader.ReadToEnd();
    }

    /// <summary>A throwaway console project that references the package from the local feed.</summary>
    public string NewConsumer(string name, string program, string? editorConfig = null, string extraProperties = "")
    {
        var directory = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="checkpointaudit-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CheckpointAudit" Version="{Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        if (editorConfig is not null)
        {
            File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n\n[*.cs]\n" + editorConfig);
        }

        return directory;
    }

    public DotnetCli.Result Build(string directory, params string[] extra)
        => DotnetCli.Run(directory, Packages, ["build", "--no-incremental", "-v", "minimal", .. extra]);

    public DotnetCli.Result Run(string directory, params string[] arguments) => DotnetCli.Run(directory, Packages, arguments);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
