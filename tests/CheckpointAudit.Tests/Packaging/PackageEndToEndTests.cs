using System.Text.RegularExpressions;
using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>
/// Packs the real package, consumes it from a local feed in throwaway projects, and checks what a
/// user sees: the warning in dotnet build, severities from .editorconfig and presets, the helper,
/// and the fix through dotnet format.
/// </summary>
[Collection(DotnetCliCollection.Name)]
public sealed class PackageEndToEndTests(PackageFixture package)
{
    private const string RiskyProgram = """
        using CheckpointAudit;

        var path = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "consumer-state.json");
        File.WriteAllText(path, "{\"stage\":1}");
        CheckpointFile.WriteAllText(path + ".safe", "{\"stage\":2}");
        Console.WriteLine(File.ReadAllText(path + ".safe"));
        """;

    // dotnet build repeats every diagnostic in its summary: count distinct lines.
    private static int Count(string output, string pattern)
        => output.Split('\n').Where(l => Regex.IsMatch(l, pattern)).Select(l => l.Trim()).Distinct().Count();

    [Fact]
    public void Package_has_the_analyzers_build_files_and_no_dependencies()
    {
        Assert.True(package.Pack.ExitCode == 0, package.Pack.ToString());
        var entries = package.Entries();
        Assert.Contains("analyzers/dotnet/cs/CheckpointAudit.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/CheckpointAudit.CodeFixes.dll", entries);
        Assert.Contains("build/CheckpointAudit.props", entries);
        Assert.Contains("build/CheckpointAudit.targets", entries);
        foreach (var mode in new[] { "default", "strict", "minimal" })
        {
            Assert.Contains($"build/presets/CheckpointAudit.{mode}.globalconfig", entries);
        }

        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
        var nuspec = package.Nuspec();
        Assert.Contains("<developmentDependency>true</developmentDependency>", nuspec);
        Assert.DoesNotContain("<dependency ", nuspec);
        PackageMetadata.AssertComplete(nuspec, entries);
    }

    [Fact]
    public void Default_build_shows_the_warning_and_compiles_the_helper()
    {
        var consumer = package.NewConsumer("default", RiskyProgram);
        var build = package.Build(consumer);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning CKPT201", build.Output);
        Assert.Contains("File.WriteAllText truncates and rewrites 'path' in place", build.Output);

        var run = package.Run(consumer, "run", "--no-build", "--", Path.Combine(consumer, "state.json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("{\"stage\":2}", run.Output);
    }

    [Fact]
    public void Editorconfig_severity_error_fails_the_build()
    {
        var consumer = package.NewConsumer("editorconfig", RiskyProgram, "dotnet_diagnostic.CKPT201.severity = error\n");
        var build = package.Build(consumer);

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("error CKPT201", build.Output);
    }

    [Fact]
    public void Strict_preset_turns_critical_findings_into_errors_and_editorconfig_still_wins()
    {
        var strict = package.NewConsumer("strict", RiskyProgram, extraProperties: "<CheckpointAuditMode>strict</CheckpointAuditMode>");
        var build = package.Build(strict);
        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("error CKPT201", build.Output);

        var overridden = package.NewConsumer("strict-overridden", RiskyProgram, "dotnet_diagnostic.CKPT201.severity = suggestion\n", "<CheckpointAuditMode>strict</CheckpointAuditMode>");
        var quiet = package.Build(overridden);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Equal(0, Count(quiet.Output, "(warning|error) CKPT201"));
    }

    [Fact]
    public void Unknown_mode_and_disabled_helpers_give_clear_errors()
    {
        var unknown = package.NewConsumer("unknown-mode", RiskyProgram, extraProperties: "<CheckpointAuditMode>paranoid</CheckpointAuditMode>");
        var build = package.Build(unknown);
        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("CKPTCFG001", build.Output);
        Assert.Contains("'paranoid'", build.Output);

        var noHelpers = package.NewConsumer("no-helpers", RiskyProgram, extraProperties: "<CheckpointAuditEmitHelpers>false</CheckpointAuditEmitHelpers>");
        var withoutHelper = package.Build(noHelpers);
        Assert.True(withoutHelper.ExitCode != 0, withoutHelper.ToString());
        Assert.True(withoutHelper.Output.Contains("error CS0246: The type or namespace name 'CheckpointAudit' could not be found", StringComparison.Ordinal), withoutHelper.ToString());
    }

    [Fact]
    public void Dotnet_format_applies_the_write_atomically_fix()
    {
        var consumer = package.NewConsumer("format", """
            using System.Text;

            var path = args[0];
            File.WriteAllText(path, "a");
            File.WriteAllBytes(path + ".bin", new byte[] { 1, 2 });
            await File.WriteAllLinesAsync(path + ".txt", new[] { "x" }, Encoding.UTF8);
            using (var stream = new FileStream(path + ".raw", FileMode.Create)) { stream.WriteByte(1); }
            """);
        var restore = package.Run(consumer, "restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var format = package.Run(consumer, "format", "analyzers", "Consumer.csproj", "--diagnostics", "CKPT201", "--severity", "warn", "--no-restore");
        Assert.True(format.ExitCode == 0, format.ToString());

        var program = File.ReadAllText(Path.Combine(consumer, "Program.cs"));
        Assert.Contains("using CheckpointAudit;", program);
        Assert.Contains("CheckpointFile.WriteAllText(path, \"a\");", program);
        Assert.Contains("CheckpointFile.WriteAllBytes(path + \".bin\", new byte[] { 1, 2 });", program);
        Assert.Contains("await CheckpointFile.WriteAllLinesAsync(path + \".txt\", new[] { \"x\" }, Encoding.UTF8);", program);
        Assert.Contains("using (var stream = CheckpointFile.Create(path + \".raw\"))", program);
        Assert.Contains("CheckpointFile.Commit(stream);", program);
        Assert.DoesNotContain("<Compile", File.ReadAllText(Path.Combine(consumer, "Consumer.csproj")));

        var build = package.Build(consumer);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(Count(build.Output, @"Program\.cs\(\d+,\d+\): warning CKPT201") == 0, program + "\n" + build);
    }
}
