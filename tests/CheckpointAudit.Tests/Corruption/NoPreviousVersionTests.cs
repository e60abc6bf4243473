using CheckpointAudit.CodeFixes.Corruption;
using CheckpointAudit.Corruption;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

public class NoPreviousVersionTests
{
    // MONITOR rule: off by default (checked by the catalog tests), turned on here the way users do.
    private const string Enabled = "dotnet_diagnostic.CKPT305.severity = warning\n";

    private static string Wrap(string body) => $$"""
        using System.IO;

        class Store
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task Flags_replacements_that_discard_the_previous_version()
    {
        await Verify.AnalyzerAsync<NoPreviousVersionCheck>(Wrap("""
                void A(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Move(tmp, path, overwrite: true)|};
                }

                void B(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Replace(tmp, path, null)|};
                }

                void C(string path, byte[] data)
                {
                    var tmp = new FileInfo(path + ".tmp");
                    File.WriteAllBytes(tmp.FullName, data);
                    {|CKPT305:tmp.MoveTo(path, true)|};
                }
            """), Enabled);
    }

    [Fact]
    public async Task Quiet_when_a_previous_version_is_kept_or_nothing_is_replaced()
    {
        await Verify.AnalyzerAsync<NoPreviousVersionCheck>(Wrap("""
                void Backup(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Replace(tmp, path, path + ".bak");
                }

                void CopyFirst(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Copy(path, path + ".bak", overwrite: true);
                    File.Move(tmp, path, overwrite: true);
                }

                void HelperCopies(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    KeepPrevious(path);
                    File.Move(tmp, path, overwrite: true);
                }

                static void KeepPrevious(string file) => File.Copy(file, file + ".bak", overwrite: true);

                void NoOverwrite(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, path);
                }

                void Rename(string from, string to) => File.Move(from, to, true);
            """), Enabled);
    }

    [Fact]
    public async Task Fix_keeps_the_previous_version_one_at_a_time_and_with_fix_all()
    {
        var before = Wrap("""
                void A(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Move(tmp, path, overwrite: true)|};
                }

                void B(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Replace(tmp, path, null)|};
                }
            """);
        var after = Wrap("""
                void A(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    if (File.Exists(path))
                    {
                        File.Replace(tmp, path, path + ".bak");
                    }
                    else
                    {
                        File.Move(tmp, path);
                    }
                }

                void B(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Replace(tmp, path, path + ".bak");
                }
            """);
        var test = Verify.CodeFix<NoPreviousVersionCheck, KeepPreviousVersionCodeFixProvider>(before, after, withHelper: false);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + Enabled));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_where_the_paths_would_be_computed_again_or_the_temp_is_elsewhere()
    {
        var source = Wrap("""
                string Target(string name) => name + ".json";

                void A(string name, string json)
                {
                    var tmp = name + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Move(tmp, Target(name), true)|};
                }

                // A temp on another volume: File.Replace could not move it.
                void B(string path, string json)
                {
                    var tmp = Path.GetTempFileName();
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Move(tmp, path, true)|};
                }
            """);
        var test = Verify.CodeFix<NoPreviousVersionCheck, KeepPreviousVersionCodeFixProvider>(source, source, withHelper: false);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + Enabled));
        await test.RunAsync();
    }
}
