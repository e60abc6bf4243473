using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Orphans;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Orphans;

public class UnsweptTempFilesTests
{
    // MONITOR rule: off by default (checked by the catalog tests), turned on here the way users do.
    private const string Enabled = "dotnet_diagnostic.CKPT403.severity = warning\n";

    private const string UniqueSave = """
        using System;
        using System.IO;

        class Store
        {
            void Save(string path, string json)
            {
                var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                File.WriteAllText(tmp, json);
                MOVE;
            }
        }
        """;

    private static string Quiet => UniqueSave.Replace("MOVE", "File.Move(tmp, path, true)");

    private static string Sweeper(string body) => $$"""
        using System;
        using System.IO;
        using System.Linq;

        static class Startup
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task Flags_unique_temp_names_that_nothing_sweeps()
    {
        await Verify.AnalyzerAsync<UnsweptTempFilesCheck>(
            """
            using System;
            using System.IO;

            class Store
            {
                void Save(string path, string json)
                {
                    var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT403:File.Move(tmp, path, true)|};
                }

                void SaveViaTempDirectory(string path, byte[] data)
                {
                    var tmp = Path.GetTempFileName();
                    File.WriteAllBytes(tmp, data);
                    {|CKPT403:File.Move(tmp, path, true)|};
                }

                void SaveRandom(string dir, string json)
                {
                    var tmp = new FileInfo(Path.Combine(dir, $"state-{Guid.NewGuid():N}.new"));
                    File.WriteAllText(tmp.FullName, json);
                    {|CKPT403:tmp.MoveTo(Path.Combine(dir, "state.json"), true)|};
                }
            }
            """,
            Enabled,
            // Neither sweep fits: a pattern for other files, and a listing that deletes nothing.
            Sweeper("""
                    static void CleanBackups(string dir)
                    {
                        foreach (var file in Directory.EnumerateFiles(dir, "*.bak"))
                        {
                            File.Delete(file);
                        }
                    }

                    static int CountTemps(string dir) => Directory.GetFiles(dir, "*.tmp").Length;
                """));
    }

    [Theory]
    [InlineData("""
            static void Sweep(string dir)
            {
                foreach (var file in Directory.EnumerateFiles(dir, "*.tmp"))
                {
                    File.Delete(file);
                }
            }
        """)]
    [InlineData("""
            static void Sweep(string dir)
            {
                foreach (var file in new DirectoryInfo(dir).GetFiles().Where(f => f.Name.EndsWith(".tmp")))
                {
                    file.Delete();
                }
            }
        """)]
    [InlineData("""
            static void Sweep(string dir) => Directory.GetFiles(dir, "*.*.tmp").ToList().ForEach(File.Delete);
        """)]
    public async Task Quiet_when_a_sweep_anywhere_in_the_project_fits_the_name(string sweep)
    {
        await Verify.AnalyzerAsync<UnsweptTempFilesCheck>(Quiet, Enabled, Sweeper(sweep));
    }

    [Fact]
    public async Task Quiet_for_fixed_names_and_files_not_written_here()
    {
        await Verify.AnalyzerAsync<UnsweptTempFilesCheck>(
            """
            using System;
            using System.IO;

            class Store
            {
                // The next save overwrites a leftover: nothing accumulates.
                void SaveFixed(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, path, true);
                }

                void Promote(string path, string incoming) => File.Move(incoming, path, true);
            }
            """,
            Enabled);
    }

    [Fact]
    public async Task Message_names_the_temp_and_its_pattern()
    {
        var test = Verify.AnalyzerTest<UnsweptTempFilesCheck>(Quiet);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + Enabled));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.UnsweptTempFiles.Descriptor)
            .WithSpan(10, 9, 10, 35)
            .WithArguments("tmp", "names like *.*.tmp"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("*.tmp", "\u0001.\u0001.tmp", true)]
    [InlineData("*.TMP", "state.\u0001.tmp", true)]
    [InlineData("state.json.*.tmp", "\u0001.\u0001.tmp", true)]
    [InlineData("*.bak", "\u0001.\u0001.tmp", false)]
    [InlineData("tmp*.tmp", "tmp\u0001.tmp", true)]
    [InlineData("*.tmp", "state-\u0001.new", false)]
    [InlineData("state-????.new", "state-\u0001.new", true)]
    public void Search_patterns_overlap_name_shapes(string pattern, string shape, bool overlaps)
    {
        Assert.Equal(overlaps, TempNamePattern.Overlaps(pattern, shape));
    }
}
