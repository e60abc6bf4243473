using CheckpointAudit.CodeFixes.Orphans;
using CheckpointAudit.Orphans;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Orphans;

public class TempFileLeftOnFailureTests
{
    private static string Wrap(string body) => $$"""
        using System;
        using System.IO;

        class Store
        {
        {{body}}
        }
        """;

    private static Task Verify401(string body) => Verify.AnalyzerAsync<TempFileLeftOnFailureCheck>(Wrap(body));

    [Fact]
    public async Task Flags_promotion_without_cleanup_and_cleanup_of_the_wrong_file()
    {
        var test = Verify.AnalyzerTest<TempFileLeftOnFailureCheck>(Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        File.WriteAllText(tmp, text);
                        {|CKPT401:File.Move(tmp, path, true)|};
                    }

                    void SaveWrittenThrough(string path, byte[] data)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                        {
                            stream.Write(data);
                        }

                        {|CKPT401:File.Replace(tmp, path, path + ".bak")|};
                    }

                    void SaveDeletingTarget(string path, byte[] data)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        try
                        {
                            using (var stream = File.Create(tmp))
                            {
                                stream.Write(data);
                                stream.Flush(true);
                            }

                            {|CKPT401:File.Replace(tmp, path, null)|};
                        }
                        catch (IOException)
                        {
                            File.Delete(path);
                            throw;
                        }
                    }
                """));
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_with_cleanup_in_catch_or_finally_and_for_moves_of_unwritten_files()
    {
        await Verify401("""
                void A(string path, string text)
                {
                    var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    try
                    {
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, path, true);
                    }
                    catch
                    {
                        File.Delete(tmp);
                        throw;
                    }
                }

                void B(string path, string text)
                {
                    var tmp = new FileInfo(path + "." + Guid.NewGuid().ToString("N") + ".tmp");
                    try
                    {
                        File.WriteAllText(tmp.FullName, text);
                        tmp.MoveTo(path, true);
                    }
                    finally
                    {
                        if (tmp.Exists)
                        {
                            tmp.Delete();
                        }
                    }
                }

                void C(string from, string to) => File.Move(from, to);

                void D(string path, string text)
                {
                    var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    try
                    {
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, path, true);
                    }
                    catch (IOException)
                    {
                        DeleteQuietly(tmp);
                        throw;
                    }
                }

                static void DeleteQuietly(string file)
                {
                    try { File.Delete(file); } catch (IOException) { }
                }
            """);
    }

    [Fact]
    public async Task Fix_wraps_the_write_and_the_move_in_try_catch()
    {
        await Verify.CodeFix<TempFileLeftOnFailureCheck, DeleteTempOnFailureCodeFixProvider>(
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        File.WriteAllText(tmp, text);
                        {|CKPT401:File.Move(tmp, path, true)|};
                        Console.WriteLine(tmp);
                    }
                """),
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        try
                        {
                            File.WriteAllText(tmp, text);
                            File.Move(tmp, path, true);
                        }
                        catch
                        {
                            File.Delete(tmp);
                            throw;
                        }

                        Console.WriteLine(tmp);
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task Fix_moves_the_comments_above_the_write_to_the_try()
    {
        await Verify.CodeFix<TempFileLeftOnFailureCheck, DeleteTempOnFailureCodeFixProvider>(
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        // Written first, then moved.
                        File.WriteAllText(tmp, text);
                        {|CKPT401:File.Move(tmp, path, true)|};
                    }
                """),
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        // Written first, then moved.
                        try
                        {
                            File.WriteAllText(tmp, text);
                            File.Move(tmp, path, true);
                        }
                        catch
                        {
                            File.Delete(tmp);
                            throw;
                        }
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task No_fix_when_a_local_declared_in_between_is_used_after()
    {
        var source = Wrap("""
                void Save(string path, string text)
                {
                    var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    File.WriteAllText(tmp, text);
                    var backup = path + ".bak";
                    {|CKPT401:File.Replace(tmp, path, backup)|};
                    Console.WriteLine(backup);
                }
            """);
        await Verify.CodeFix<TempFileLeftOnFailureCheck, DeleteTempOnFailureCodeFixProvider>(source, source).RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        var test = Verify.CodeFix<TempFileLeftOnFailureCheck, DeleteTempOnFailureCodeFixProvider>(
            Wrap("""
                    void A(string path)
                    {
                        var a = path + "." + Guid.NewGuid().ToString("N");
                        File.WriteAllText(a, "a");
                        {|CKPT401:File.Move(a, path, true)|};
                    }

                    void B(string path)
                    {
                        var b = $"{path}.{Guid.NewGuid():N}";
                        File.WriteAllText(b, "b");
                        {|CKPT401:File.Move(b, path, true)|};
                    }
                """),
            Wrap("""
                    void A(string path)
                    {
                        var a = path + "." + Guid.NewGuid().ToString("N");
                        try
                        {
                            File.WriteAllText(a, "a");
                            File.Move(a, path, true);
                        }
                        catch
                        {
                            File.Delete(a);
                            throw;
                        }
                    }

                    void B(string path)
                    {
                        var b = $"{path}.{Guid.NewGuid():N}";
                        try
                        {
                            File.WriteAllText(b, "b");
                            File.Move(b, path, true);
                        }
                        catch
                        {
                            File.Delete(b);
                            throw;
                        }
                    }
                """));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_a_temp_whose_name_changes_between_saves_of_one_target()
    {
        await Verify401("""
                private static int _sequence;
                private readonly string _scratch = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
                private string _mutable = "state.tmp";

                void Reassigned(string path, string text)
                {
                    var tmp = path + ".tmp";
                    var n = 0;
                    while (File.Exists(tmp))
                    {
                        tmp = path + "." + (++n) + ".tmp";
                    }

                    File.WriteAllText(tmp, text);
                    {|CKPT401:File.Move(tmp, path, true)|};
                }

                void Random(string path, string text)
                {
                    var tmp = $"{path}.{System.Random.Shared.Next()}.tmp";
                    File.WriteAllText(tmp, text);
                    {|CKPT401:File.Move(tmp, path, true)|};
                }

                void Counter(string path, string text)
                {
                    var tmp = $"{path}.{System.Threading.Interlocked.Increment(ref _sequence)}.tmp";
                    File.WriteAllText(tmp, text);
                    {|CKPT401:File.Move(tmp, path, true)|};
                }

                void PerAttempt(string path, string text, int attempt)
                {
                    var tmp = path + "." + attempt + ".tmp";
                    File.WriteAllText(tmp, text);
                    {|CKPT401:File.Move(tmp, path, true)|};
                }

                void UniqueField(string path, string text)
                {
                    File.WriteAllText(_scratch, text);
                    {|CKPT401:File.Move(_scratch, path, true)|};
                }

                void MutableField(string path, string text)
                {
                    File.WriteAllText(_mutable, text);
                    {|CKPT401:File.Move(_mutable, path, true)|};
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_a_temp_with_the_same_name_on_every_save()
    {
        // At most one leftover, which the next save truncates and replaces: nothing piles up.
        await Verify401("""
                private const string Scratch = "state.json.tmp";
                private readonly string _temp = Path.Combine(AppContext.BaseDirectory, "settings.tmp");

                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    File.Move(tmp, path, true);
                }

                void SaveInline(string path, string text)
                {
                    File.WriteAllText(path + ".tmp", text);
                    File.Move(path + ".tmp", path, true);
                }

                void SaveConstant(string text)
                {
                    File.WriteAllText(Scratch, text);
                    File.Move(Scratch, "state.json", true);
                }

                void SaveField(string path, string text)
                {
                    File.WriteAllText(_temp, text);
                    File.Replace(_temp, path, null);
                }

                void SaveBeside(string folder, string name, string text)
                {
                    File.WriteAllText(Path.Combine(folder, name + ".tmp"), text);
                    File.Move(Path.Combine(folder, name + ".tmp"), Path.Combine(folder, name), true);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_an_existing_file_read_edited_and_renamed()
    {
        // A template's files filled in and given the project's name: each file was there before, nothing is a temp.
        await Verify401("""
                void Fill(string folder, string name)
                {
                    foreach (var file in Directory.GetFiles(folder))
                    {
                        var text = File.ReadAllText(file);
                        File.WriteAllText(file, text.Replace("$name$", name));
                        File.Move(file, file.Replace("$name$", name));
                    }
                }
            """);
    }

    [Fact]
    public async Task A_temp_read_back_only_when_a_failed_save_left_it_is_still_a_temp()
    {
        await Verify401("""
                void Save(string path, string text)
                {
                    var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    if (File.Exists(tmp))
                    {
                        Console.WriteLine(File.ReadAllText(tmp));
                    }

                    File.WriteAllText(tmp, text);
                    {|CKPT401:File.Move(tmp, path, true)|};
                }
            """);
    }
}
