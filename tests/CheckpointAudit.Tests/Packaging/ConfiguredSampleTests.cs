using System.Text.Json.Nodes;
using CheckpointAudit.Catalog;
using CheckpointAudit.Tests.Cli;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>
/// A copy of the sample configured as a team would: an .editorconfig that turns one rule off for a folder and the
/// MONITOR rules on, an option that names the project's own safe writer, a #pragma and a [SuppressMessage]. Its
/// build's error log and checkpoint-audit in folder, project and solution mode must agree site for site: what the
/// build reports, the audit reports; what the code suppresses, the audit lists as suppressed.
/// </summary>
[Collection(DotnetCliCollection.Name)]
public sealed class ConfiguredSampleTests : IDisposable
{
    // A MONITOR rule with sites in the sample, left at the preset's default.
    private const string DefaultOff = "CKPT404";

    private readonly SampleCopy copy = new("ckpt-configured-");

    [Fact]
    public async Task Folder_project_and_solution_modes_report_what_dotnet_build_reports_with_the_projects_configuration()
    {
        var project = Configure();
        var errorLog = Path.Combine(copy.Root, "build.sarif");
        var build = DotnetCli.Run(copy.Root, SampleApp.PackagesDirectory, "build", project, "-v", "quiet", $"-p:ErrorLog={errorLog}%2Cversion=2.1");
        Assert.True(build.ExitCode == 0, build.ToString());
        var (built, builtSuppressed) = Sites(errorLog, Path.GetDirectoryName(project)!);
        // The sample's one in-place overwrite is in the method the option names; CKPT202 is off in Storage/.
        Assert.DoesNotContain(built, s => s.StartsWith("CKPT201 ", StringComparison.Ordinal));
        Assert.DoesNotContain(built, s => s.StartsWith("CKPT202 ", StringComparison.Ordinal));
        Assert.Contains(built, s => RuleCatalog.All.Any(r => r.AuditSeverity == AuditSeverity.Monitor && s.StartsWith(r.Id + " ", StringComparison.Ordinal)));
        Assert.Equal(["CKPT303 Storage/CheckpointStore.cs:35", "CKPT402 Storage/PipelineDatabase.cs:175"], builtSuppressed);

        var sample = Path.GetDirectoryName(project)!;
        foreach (var input in new[] { sample, project, Path.Combine(sample, "DocumentPipeline.slnx") })
        {
            var report = await CliRun.ReportAsync(input, "--no-fix-preview");
            Assert.Equal(input == sample ? "sources" : "msbuild", Assert.Single(report.Projects).Mode);
            var audited = report.Findings.Concat(report.Suspicious).SelectMany(f => f.Sites.Select(s => $"{f.RuleId} {f.File}:{s.Line}")).Distinct().Order(StringComparer.Ordinal).ToList();
            // CKPT404 stays at the preset's default (none, as every MONITOR rule): the build hides it, the audit shows it
            // and does not call it suppressed, in project mode too, where the preset is loaded.
            Assert.Equal(built, audited.Where(s => !s.StartsWith(DefaultOff + " ", StringComparison.Ordinal)));
            Assert.Contains(audited, s => s.StartsWith(DefaultOff + " ", StringComparison.Ordinal));
            List<string> suppressed =
            [
                .. builtSuppressed.Select(s => s.StartsWith("CKPT303", StringComparison.Ordinal) ? $"{s} [SuppressMessage] on CheckpointStore.Load" : $"{s} #pragma warning disable CKPT402"),
                "CKPT202 Storage/CheckpointStore.cs:75 `Storage/.editorconfig`: dotnet_diagnostic.CKPT202.severity = none",
                "CKPT202 Storage/CheckpointStore.cs:87 `Storage/.editorconfig`: dotnet_diagnostic.CKPT202.severity = none",
            ];
            Assert.Equal(
                suppressed.Order(StringComparer.Ordinal),
                report.Suppressed.Select(s => $"{s.RuleId} {s.File}:{s.Line} {s.SuppressedBy}").Order(StringComparer.Ordinal));
        }
    }

    /// <summary>The configured copy; returns its project file.</summary>
    private string Configure()
    {
        // Severities and options, as a team writes them.
        var monitorOn = string.Concat(RuleCatalog.All.Where(r => r.AuditSeverity == AuditSeverity.Monitor && r.Id != DefaultOff).Select(r => $"dotnet_diagnostic.{r.Id}.severity = suggestion\n"));
        copy.Edit("samples/.editorconfig", text => text + monitorOn + "checkpoint_audit.atomic_write_methods = CheckpointStore.Save\n");
        File.WriteAllText(Path.Combine(copy.Project, "Storage", ".editorconfig"), "[*.cs]\ndotnet_diagnostic.CKPT202.severity = none\n");

        // Suppressions in the code.
        copy.Edit("samples/DocumentPipeline/Storage/CheckpointStore.cs", text => Once(text, "    public T Load<T>(string documentId, int stage)", "    [System.Diagnostics.CodeAnalysis.SuppressMessage(\"Reliability\", \"CKPT303\", Justification = \"accepted\")]\n    public T Load<T>(string documentId, int stage)"));
        copy.Edit("samples/DocumentPipeline/Storage/PipelineDatabase.cs", text => System.Text.RegularExpressions.Regex.Replace(
            Once(text, "        command.CommandText = \"DELETE FROM stage_status", "#pragma warning disable CKPT402\n        command.CommandText = \"DELETE FROM stage_status"),
            "(command.CommandText = \"DELETE FROM stage_status[^\n]*\n)",
            "$1#pragma warning restore CKPT402\n"));

        File.WriteAllText(Path.Combine(copy.Project, "DocumentPipeline.slnx"), "<Solution><Project Path=\"DocumentPipeline.csproj\" /></Solution>");
        return copy.ProjectFile;
    }

    /// <summary>Unsuppressed and suppressed CheckpointAudit results of the compiler's SARIF 2.1 error log, as "RULE file:line".</summary>
    private static (List<string> Reported, List<string> Suppressed) Sites(string errorLog, string projectDirectory)
    {
        var results = JsonNode.Parse(File.ReadAllText(errorLog))!["runs"]![0]!["results"]!.AsArray();
        var reported = new List<string>();
        var suppressed = new List<string>();
        foreach (var result in results)
        {
            var id = (string)result!["ruleId"]!;
            if (!id.StartsWith("CKPT", StringComparison.Ordinal))
            {
                continue;
            }

            var location = result["locations"]![0]!["physicalLocation"]!;
            var file = Path.GetRelativePath(projectDirectory, new Uri((string)location["artifactLocation"]!["uri"]!).LocalPath).Replace('\\', '/');
            var site = $"{id} {file}:{(int)location["region"]!["startLine"]!}";
            (result["suppressions"] is JsonArray { Count: > 0 } ? suppressed : reported).Add(site);
        }

        return ([.. reported.Distinct().Order(StringComparer.Ordinal)], [.. suppressed.Distinct().Order(StringComparer.Ordinal)]);
    }

    private static string Once(string text, string find, string replace)
    {
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(find)));
        return text.Replace(find, replace);
    }

    public void Dispose() => copy.Dispose();
}
