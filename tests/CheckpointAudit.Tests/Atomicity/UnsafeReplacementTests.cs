using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class UnsafeReplacementTests
{
    private static string Wrap(string body) => $$"""
        using System;
        using System.IO;

        class Store
        {
        {{body}}
        }
        """;

    private static Task Verify204(string body) => Verify.AnalyzerAsync<UnsafeReplacementCheck>(Wrap(body));

    [Fact]
    public async Task Flags_delete_then_move()
    {
        await Verify204("""
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    if (File.Exists(path))
                    {
                        File.Delete(path);
                    }

                    {|CKPT204:File.Move(tmp, path)|};
                }

                void SaveUnguarded(string path, byte[] data)
                {
                    var tmp = path + ".new";
                    using (var stream = File.Create(tmp))
                    {
                        stream.Write(data);
                    }

                    File.Delete(path);
                    {|CKPT204:File.Move(tmp, path)|};
                }

                void SaveGuardedWithoutBraces(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    if (File.Exists(path)) File.Delete(path);
                    {|CKPT204:File.Move(tmp, path)|};
                }

                // The break leaves the switch only: the move still follows the delete.
                void SaveAfterSwitch(string path, string text, int mode)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    switch (mode)
                    {
                        case 0:
                            File.Delete(path);
                            break;
                    }

                    {|CKPT204:File.Move(tmp, path, true)|};
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_delete_and_the_move_cannot_both_run()
    {
        await Verify204("""
                // The empty-settings case deletes the file; the other case replaces it.
                void SaveSettings(string path, string json, bool isEmpty)
                {
                    var temp = path + ".tmp";
                    if (isEmpty)
                    {
                        File.Delete(path);
                    }
                    else
                    {
                        File.WriteAllText(temp, json);
                        File.Move(temp, path, true);
                    }
                }

                void SaveByKind(string path, string json, int kind)
                {
                    var temp = path + ".tmp";
                    switch (kind)
                    {
                        case 0:
                            File.Delete(path);
                            break;
                        default:
                            File.WriteAllText(temp, json);
                            File.Move(temp, path, true);
                            break;
                    }
                }

                void SaveOrClear(string path, string? json)
                {
                    if (json is null)
                    {
                        File.Delete(path);
                        return;
                    }

                    var temp = path + ".tmp";
                    File.WriteAllText(temp, json);
                    File.Move(temp, path, true);
                }

                void SaveEach(string[] paths, string json)
                {
                    foreach (var path in paths)
                    {
                        if (json.Length == 0)
                        {
                            File.Delete(path);
                            continue;
                        }

                        var temp = path + ".tmp";
                        File.WriteAllText(temp, json);
                        File.Move(temp, path, true);
                    }
                }
            """);
    }

    [Fact]
    public async Task Flags_move_away_then_move()
    {
        await Verify204("""
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    File.Move(path, path + ".bak");
                    {|CKPT204:File.Move(tmp, path)|};
                }
            """);
    }

    [Fact]
    public async Task Flags_copy_of_a_temp_written_here()
    {
        await Verify204("""
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    {|CKPT204:File.Copy(tmp, path, overwrite: true)|};
                    File.Delete(tmp);
                }
            """);
    }

    [Fact]
    public async Task Flags_copy_of_a_written_through_temp()
    {
        await Verify204("""
                void Save(string path, byte[] data)
                {
                    var tmp = path + ".tmp";
                    using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                    {
                        stream.Write(data);
                    }

                    {|CKPT204:File.Copy(tmp, path, true)|};
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_one_step_replacements_and_unrelated_deletes()
    {
        await Verify204("""
                void A(string path, string tmp) => File.Move(tmp, path, overwrite: true);

                void B(string path, string tmp) => File.Replace(tmp, path, path + ".bak");

                void C(string path, string tmp, string other)
                {
                    File.Delete(other);
                    File.Move(tmp, path);
                    File.Delete(path + ".old");
                }

                void D(string path, string backup) => File.Copy(backup, path, true);

                void E(string path, string tmp)
                {
                    File.Move(tmp, path);
                    File.Delete(tmp);
                }

                // A rename of existing data: the source survives the window, so nothing is lost.
                string MoveFile(string file, string folder)
                {
                    var destination = Path.Combine(folder, Path.GetFileName(file));
                    if (File.Exists(destination))
                    {
                        File.Delete(destination);
                    }

                    File.Move(file, destination);
                    return destination;
                }
            """);
    }

    [Fact]
    public async Task Fix_moves_with_overwrite_and_drops_the_guarded_delete()
    {
        await Verify.CodeFix<UnsafeReplacementCheck, ReplaceInOneStepCodeFixProvider>(
            Wrap("""
                    void Save(string path, string tmp, string text)
                    {
                        File.WriteAllText(tmp, text);
                        if (File.Exists(path))
                        {
                            File.Delete(path);
                        }

                        {|CKPT204:File.Move(tmp, path)|};
                    }
                """),
            Wrap("""
                    void Save(string path, string tmp, string text)
                    {
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, path, overwrite: true);
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task Fix_removes_only_the_delete_that_runs_before_the_move()
    {
        await Verify.CodeFix<UnsafeReplacementCheck, ReplaceInOneStepCodeFixProvider>(
            Wrap("""
                    void Save(string path, string tmp, string? text)
                    {
                        if (text is null)
                        {
                            File.Delete(path);
                            return;
                        }

                        File.WriteAllText(tmp, text);
                        if (File.Exists(path))
                        {
                            File.Delete(path);
                        }

                        {|CKPT204:File.Move(tmp, path)|};
                    }
                """),
            Wrap("""
                    void Save(string path, string tmp, string? text)
                    {
                        if (text is null)
                        {
                            File.Delete(path);
                            return;
                        }

                        File.WriteAllText(tmp, text);
                        File.Move(tmp, path, overwrite: true);
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document_and_no_fix_for_move_away_or_copy()
    {
        var test = Verify.CodeFix<UnsafeReplacementCheck, ReplaceInOneStepCodeFixProvider>(
            Wrap("""
                    void A(string path, string tmp)
                    {
                        File.WriteAllText(tmp, "a");
                        File.Delete(path);
                        {|CKPT204:File.Move(tmp, path)|};
                    }

                    void B(string path, string tmp)
                    {
                        File.WriteAllText(tmp, "b");
                        File.Delete(path);
                        {|CKPT204:File.Move(tmp, path, false)|};
                    }

                    void C(string path, string tmp)
                    {
                        File.WriteAllText(tmp, "c");
                        File.Move(path, path + ".bak");
                        {|CKPT204:File.Move(tmp, path)|};
                    }
                """),
            Wrap("""
                    void A(string path, string tmp)
                    {
                        File.WriteAllText(tmp, "a");
                        File.Move(tmp, path, overwrite: true);
                    }

                    void B(string path, string tmp)
                    {
                        File.WriteAllText(tmp, "b");
                        File.Move(tmp, path, overwrite: true);
                    }

                    void C(string path, string tmp)
                    {
                        File.WriteAllText(tmp, "c");
                        File.Move(path, path + ".bak");
                        {|CKPT204:File.Move(tmp, path)|};
                    }
                """));
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}

public class HelperWrittenTempTests
{
    // A temp written with CheckpointFile is durable (no CKPT202), but what the body does with it next is still judged.
    private const string Source = """
        using System.IO;
        using CheckpointAudit;

        class Store
        {
            void Save(string path, string json)
            {
                var tmp = path + ".tmp";
                CheckpointFile.WriteAllText(tmp, json);
                File.Delete(path);
                MOVE;
            }
        }
        """;

    [Fact]
    public async Task Helper_written_temp_is_durable()
    {
        await Verify.AnalyzerAsync<UnflushedTempPromotionCheck>(Source.Replace("MOVE", "File.Move(tmp, path)"), null, Verify.HelperSourceNet80);
    }

    [Fact]
    public async Task Helper_written_temp_still_counts_as_written_for_the_replacement()
    {
        await Verify.AnalyzerAsync<UnsafeReplacementCheck>(Source.Replace("MOVE", "{|CKPT204:File.Move(tmp, path)|}"), null, Verify.HelperSourceNet80);
    }

    [Fact]
    public async Task Helper_written_temp_gets_the_cleanup_fix()
    {
        await Verify.CodeFix<CheckpointAudit.Orphans.TempFileLeftOnFailureCheck, CheckpointAudit.CodeFixes.Orphans.DeleteTempOnFailureCodeFixProvider>(
            """
            using System.IO;
            using CheckpointAudit;

            class Store
            {
                void Save(string path, string json)
                {
                    var tmp = path + "." + System.Guid.NewGuid().ToString("N") + ".tmp";
                    CheckpointFile.WriteAllText(tmp, json);
                    {|CKPT401:File.Move(tmp, path, true)|};
                }
            }
            """,
            """
            using System.IO;
            using CheckpointAudit;

            class Store
            {
                void Save(string path, string json)
                {
                    var tmp = path + "." + System.Guid.NewGuid().ToString("N") + ".tmp";
                    try
                    {
                        CheckpointFile.WriteAllText(tmp, json);
                        File.Move(tmp, path, true);
                    }
                    catch
                    {
                        File.Delete(tmp);
                        throw;
                    }
                }
            }
            """).RunAsync();
    }
}
