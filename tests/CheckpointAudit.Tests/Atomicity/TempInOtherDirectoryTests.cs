using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class TempInOtherDirectoryTests
{
    private static string Wrap(string body, string usings = "") => $$"""
        using System;
        using System.IO;{{usings}}

        class Store
        {
            private readonly string _path = "state.json";

        {{body}}
        }
        """;

    private static Task Verify203(string body) => Verify.AnalyzerAsync<TempInOtherDirectoryCheck>(Wrap(body));

    [Fact]
    public async Task Flags_temp_files_from_the_system_temp_directory_moved_elsewhere()
    {
        await Verify203("""
                void A(string path, string json)
                {
                    var tmp = Path.GetTempFileName();
                    File.WriteAllText(tmp, json);
                    {|CKPT203:File.Move(tmp, path, true)|};
                }

                void B(string json)
                {
                    var tmp = Path.Combine(Path.GetTempPath(), "settings.json");
                    File.WriteAllText(tmp, json);
                    {|CKPT203:File.Replace(tmp, _path, null)|};
                }

                void C(string path, byte[] data)
                {
                    var tmp = new FileInfo(Path.GetTempFileName());
                    File.WriteAllBytes(tmp.FullName, data);
                    {|CKPT203:tmp.MoveTo(path, true)|};
                }

                void D(string path, string json)
                {
                    var tmp = TempPath();
                    File.WriteAllText(tmp, json);
                    {|CKPT203:File.Move(tmp, path)|};
                }

                string TempPath() => Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".tmp");

                void E(string path, string json)
                {
                    var tmp = $"{Path.GetTempPath()}/{Guid.NewGuid():N}.tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT203:File.Move(tmp, path, overwrite: true)|};
                }

                void F(string path, string json)
                {
                    var tmp = Path.GetTempPath() + "state.tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT203:new FileInfo(tmp).MoveTo(path)|};
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_temps_beside_the_target_moves_within_temp_and_unknown_origins()
    {
        await Verify203("""
                void Beside(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, path, true);
                }

                void BesideUnique(string path, string json)
                {
                    var tmp = Path.Combine(Path.GetDirectoryName(path)!, Path.GetRandomFileName());
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, path, true);
                }

                void WithinTemp(string json)
                {
                    var tmp = Path.GetTempFileName();
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, Path.Combine(Path.GetTempPath(), "ready.json"), true);
                }

                void NameOnlyFromTemp(string dir, string json)
                {
                    var tmp = Path.Combine(dir, Path.GetFileName(Path.GetTempFileName()));
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, Path.Combine(dir, "state.json"), true);
                }

                void Passed(string tmp, string path) => File.Move(tmp, path, true);

                void EitherDirectory(string path, string? dir, string json)
                {
                    var tmp = dir is null ? Path.GetTempFileName() : Path.Combine(dir, "state.tmp");
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, path, true);
                }

                // A copy is reported by CKPT201/CKPT204 already.
                void Copy(string path, string json)
                {
                    var tmp = Path.GetTempFileName();
                    File.WriteAllText(tmp, json);
                    File.Copy(tmp, path, true);
                }

                void IntoTemp(string source) => File.Move(source, Path.GetTempFileName(), true);
            """);
    }

    [Theory]
    [InlineData("Path.GetTempFileName()", "path", "path")]
    [InlineData("Path.Combine(Path.GetTempPath(), \"state.tmp\")", "_path", "_path")]
    [InlineData("Path.GetTempFileName()", "Path.Combine(dir, \"state.json\")", "Path.Combine(dir, \"state.json\")")]
    [InlineData("Path.GetTempFileName()", "dir + \"/state.json\"", "(dir + \"/state.json\")")]
    public async Task Fix_creates_the_temp_beside_the_target(string tempValue, string target, string targetInName)
    {
        var body = """
                void Save(string path, string dir, string json)
                {
                    var tmp = TEMP;
                    File.WriteAllText(tmp, json);
                    MOVE;
                }
            """;
        // With the generated helper: its temp name, which a later process sweeps if a crash leaves the temp behind.
        await Verify.CodeFix<TempInOtherDirectoryCheck, TempBesideTargetCodeFixProvider>(
            Wrap(body.Replace("TEMP", tempValue).Replace("MOVE", "{|CKPT203:File.Move(tmp, " + target + ", true)|}")),
            Wrap(body.Replace("TEMP", "CheckpointFile.TempPathFor(" + target + ")").Replace("MOVE", "File.Move(tmp, " + target + ", true)"), "\nusing CheckpointAudit;")).RunAsync();

        // Without it (turned off, or another project's copy not visible): a unique name beside the target.
        await Verify.CodeFix<TempInOtherDirectoryCheck, TempBesideTargetCodeFixProvider>(
            Wrap(body.Replace("TEMP", tempValue).Replace("MOVE", "{|CKPT203:File.Move(tmp, " + target + ", true)|}")),
            Wrap(body.Replace("TEMP", targetInName + " + \".\" + Guid.NewGuid().ToString(\"N\") + \".tmp\"").Replace("MOVE", "File.Move(tmp, " + target + ", true)")),
            withHelper: false).RunAsync();
    }

    [Fact]
    public async Task Fix_keeps_the_file_info_shape()
    {
        await Verify.CodeFix<TempInOtherDirectoryCheck, TempBesideTargetCodeFixProvider>(
            Wrap("""
                    void Save(string path, byte[] data)
                    {
                        var tmp = new FileInfo(Path.GetTempFileName());
                        File.WriteAllBytes(tmp.FullName, data);
                        {|CKPT203:tmp.MoveTo(path, true)|};
                    }
                """),
            Wrap("""
                    void Save(string path, byte[] data)
                    {
                        var tmp = new FileInfo(CheckpointFile.TempPathFor(path));
                        File.WriteAllBytes(tmp.FullName, data);
                        tmp.MoveTo(path, true);
                    }
                """, "\nusing CheckpointAudit;")).RunAsync();
    }

    [Fact]
    public async Task No_fix_when_the_target_is_not_known_yet_or_the_temp_must_exist()
    {
        var source = Wrap("""
                void Later(string json)
                {
                    var tmp = Path.GetTempFileName();
                    File.WriteAllText(tmp, json);
                    var target = Path.Combine(AppContext.BaseDirectory, "state.json");
                    {|CKPT203:File.Move(tmp, target, true)|};
                }

                void MustExist(string path, byte[] data)
                {
                    var tmp = Path.GetTempFileName();
                    using (var stream = new FileStream(tmp, FileMode.Truncate, FileAccess.Write))
                    {
                        stream.Write(data);
                    }

                    {|CKPT203:File.Move(tmp, path, true)|};
                }
            """);
        var test = Verify.CodeFix<TempInOtherDirectoryCheck, TempBesideTargetCodeFixProvider>(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        var test = Verify.CodeFix<TempInOtherDirectoryCheck, TempBesideTargetCodeFixProvider>(
            Wrap("""
                    void A(string path, string json)
                    {
                        var tmp = Path.GetTempFileName();
                        File.WriteAllText(tmp, json);
                        {|CKPT203:File.Move(tmp, path, true)|};
                    }

                    void B(string json)
                    {
                        var tmp = Path.Combine(Path.GetTempPath(), "b.tmp");
                        File.WriteAllText(tmp, json);
                        {|CKPT203:File.Move(tmp, _path, true)|};
                    }
                """),
            Wrap("""
                    void A(string path, string json)
                    {
                        var tmp = CheckpointFile.TempPathFor(path);
                        File.WriteAllText(tmp, json);
                        File.Move(tmp, path, true);
                    }

                    void B(string json)
                    {
                        var tmp = CheckpointFile.TempPathFor(_path);
                        File.WriteAllText(tmp, json);
                        File.Move(tmp, _path, true);
                    }
                """, "\nusing CheckpointAudit;"));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
