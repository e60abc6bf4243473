using CheckpointAudit.Tests.Infrastructure;
using CheckpointAudit.Tests.Packaging;
using Xunit;
using Xunit.Abstractions;

namespace CheckpointAudit.Tests.Sample;

/// <summary>
/// The sample pipeline killed inside writes of its state, as written and with every available fix applied.
/// CI runs at least 10 kills (more until the risky version shows damage); the fixed copy gets the same
/// number, at the same drawn kill points. CHECKPOINTAUDIT_PIPELINE_KILLS=200 gives the long run in the sample's README.
/// </summary>
[Collection(DotnetCliCollection.Name)]
public sealed class PipelineCrashHarnessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ckpt-pipeline-crash-").FullName;

    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("CHECKPOINTAUDIT_PIPELINE_KILLS"), out var n) && n > 0 ? n : 10;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Measures_damage_as_written_and_with_fixes_applied()
    {
        var build = SampleApp.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        var shipped = Directory.GetFiles(RepositoryFiles.PathOf("samples", "DocumentPipeline", "input"), "*.txt").Order().ToList();

        var asWritten = new PipelineCrashHarness(SampleApp.AssemblyPath, "as written", Directory.CreateDirectory(Path.Combine(_root, "as-written")).FullName)
            .Run(Kills, seed: 2026, shipped, untilDamaged: true, maxKills: Math.Max(Kills, 150));
        var fixedCopy = FixedSampleCopy.Build(Directory.CreateDirectory(Path.Combine(_root, "fixed-source")).FullName);

        // dotnet format applied every fix: no finding of a rule that has one is left (the summary's truncating stream,
        // once left by CKPT205's fix, is now opened through the helper's atomic stream by CKPT201's).
        // CKPT402's fix moves a file deletion after the commit; the sample's DeleteDocument deletes no files at all, the
        // form with no mechanical fix (which files to delete is the program's to say), so its finding stays. CKPT701's
        // fix hands EF Core the client's concurrency token; the sample's edit endpoint saves a file and has no version
        // to check, which only the program can add, so its finding stays too.
        var byHandHere = new[] { CheckpointAudit.Catalog.RuleCatalog.FilesOutliveRecord, CheckpointAudit.Catalog.RuleCatalog.UnversionedUpdate };
        var fixable = CheckpointAudit.Catalog.RuleCatalog.All.Where(r => r.HasFix && !byHandHere.Contains(r)).Select(r => r.Id).ToHashSet();
        Assert.DoesNotContain(fixedCopy.RemainingFindings, f => fixable.Contains(f[..f.IndexOf(' ')]));

        var withFixes = new PipelineCrashHarness(fixedCopy.AssemblyPath, "with fixes applied", Directory.CreateDirectory(Path.Combine(_root, "with-fixes")).FullName)
            .Run(asWritten.KillsMidRun, seed: 2026, shipped);

        var table = DamageReport.Table(asWritten, withFixes);
        output.WriteLine(table);
        if (Environment.GetEnvironmentVariable("CHECKPOINTAUDIT_PIPELINE_TABLE") is { Length: > 0 } tablePath)
        {
            File.WriteAllText(tablePath, table);
        }

        Assert.True(asWritten.KillsMidRun > 0, "no kill landed while the pipeline was running:\n" + table);
        Assert.True(asWritten.TotalDamage > 0, "the harness found no damage in the risky pipeline, so it cannot tell safe from unsafe:\n" + table);

        // What the applied fixes guarantee: checkpoints are never torn, so none is lost to a torn rewrite.
        Assert.True(withFixes.UnreadableAfterKill == 0 && withFixes.UnreadableAtEnd == 0 && withFixes.Lost == 0, table);

        // And no fix may make anything worse: in no row does the fixed copy show more damage than the original.
        foreach (var (name, value) in DamageReport.Rows)
        {
            Assert.True(value(withFixes) <= value(asWritten), $"with fixes applied, '{name}' is worse ({value(withFixes)}) than as written ({value(asWritten)}):\n{table}");
        }
    }

    [Fact]
    public void Published_crash_table_has_no_row_where_the_fixes_are_worse()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("samples", "DocumentPipeline", "README.md"));
        var start = readme.IndexOf("<!-- crash-table:start -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- crash-table:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the sample README has no crash table");
        var rows = readme[start..end].Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| after", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();

        // Every row the harness reports is published, and in none is the fixed copy worse.
        Assert.Equal(DamageReport.Rows.Select(r => r.Name), rows.Select(r => r[0]));
        foreach (var row in rows)
        {
            Assert.True(int.Parse(row[2]) <= int.Parse(row[1]), $"published table: '{row[0]}' is worse with fixes applied ({row[2]}) than as written ({row[1]})");
        }
    }
}
