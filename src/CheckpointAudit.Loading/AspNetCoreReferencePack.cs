namespace CheckpointAudit.Loading;

/// <summary>
/// ASP.NET Core's reference assemblies from the .NET installation running this process
/// (packs/Microsoft.AspNetCore.App.Ref, present wherever an SDK is), for web projects read as sources.
/// Also linked into the benchmark, which builds such compilations too.
/// </summary>
public static class AspNetCoreReferencePack
{
    /// <summary>The newest net10.0 reference assemblies of the pack; empty when the installation has none.</summary>
    public static IReadOnlyList<string> Assemblies()
    {
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → <dotnet>/packs/...
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var pack = Path.Combine(dotnetRoot, "packs", "Microsoft.AspNetCore.App.Ref");
        var folder = Directory.Exists(pack)
            ? Directory.GetDirectories(pack).Select(v => Path.Combine(v, "ref", "net10.0")).Where(Directory.Exists).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        return folder is null ? [] : Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal).ToList();
    }
}
