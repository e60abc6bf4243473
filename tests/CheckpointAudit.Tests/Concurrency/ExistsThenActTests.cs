using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class ExistsThenActTests
{
    [Fact]
    public async Task Flags_reads_of_state_and_creations_decided_by_File_Exists()
    {
        await Verify.AnalyzerTest<ExistsThenActCheck>("""
            using System.IO;
            using System.Xml.Linq;

            class SettingsStore
            {
                private readonly string _path = "settings.json";
                private const string LockPath = "run.lock";

                string? Load()
                {
                    if (File.Exists(_path))
                    {
                        return {|CKPT608:File.ReadAllText(_path)|};
                    }

                    return null;
                }

                string? EarlyReturn()
                {
                    if (!File.Exists(_path))
                    {
                        return null;
                    }

                    using var reader = {|CKPT608:new StreamReader(_path)|};
                    return reader.ReadToEnd();
                }

                string PathFor(string id) => Path.Combine("data", id + ".json");

                void SaveDocument(string id, string json) => File.WriteAllText(PathFor(id), json);

                string? LoadDocument(string id)
                {
                    var path = PathFor(id);
                    if (!File.Exists(path))
                    {
                        return null;
                    }

                    return {|CKPT608:File.ReadAllText(path)|};
                }

                string Ternary() => File.Exists(_path) ? {|CKPT608:File.ReadAllText(_path)|} : "{}";

                void Save(string json) => File.WriteAllText(_path, json);

                // Constant content, but a marker: it is deleted again, so two creators both think they hold it.
                void TakeLock()
                {
                    if (!File.Exists(LockPath))
                    {
                        {|CKPT608:File.WriteAllText(LockPath, "1")|};
                    }
                }

                void ReleaseLock() => File.Delete(LockPath);

                void Promote(string temp, string target)
                {
                    if (!File.Exists(target))
                    {
                        {|CKPT608:File.Copy(temp, target, true)|};
                    }
                }

                XDocument? Xml(string path)
                {
                    if (File.Exists(path) && path.EndsWith(".xml"))
                    {
                        var document = {|CKPT608:XDocument.Load(path)|};
                        document.Save(path);
                        return document;
                    }

                    return null;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Quiet_for_handled_races_deletes_and_files_only_read()
    {
        await Verify.AnalyzerTest<ExistsThenActCheck>("""
            using System;
            using System.IO;

            class Store
            {
                private readonly string _path = "state.json";

                void Save(string json) => File.WriteAllText(_path, json);

                // The read's failure is handled.
                string? Caught()
                {
                    if (File.Exists(_path))
                    {
                        try
                        {
                            return File.ReadAllText(_path);
                        }
                        catch (FileNotFoundException)
                        {
                            return null;
                        }
                    }

                    return null;
                }

                // File.Delete ignores a missing file.
                void Delete()
                {
                    if (File.Exists(_path))
                    {
                        File.Delete(_path);
                    }
                }

                // Input, not state: nothing in this file writes it.
                string? Manifest(string installDirectory)
                {
                    var manifest = Path.Combine(installDirectory, "manifest.json");
                    return File.Exists(manifest) ? File.ReadAllText(manifest) : null;
                }

                // The other branch, another file, a check that decides nothing about the act.
                void Other(string other)
                {
                    if (!File.Exists(_path))
                    {
                        Console.WriteLine(File.ReadAllText(other));
                    }
                    else
                    {
                        File.WriteAllText(_path + ".bak", "x");
                    }

                    if (File.Exists(_path) || other.Length > 0)
                    {
                        Console.WriteLine(File.ReadAllText(_path));
                    }
                }

                // Without overwrite, the move itself refuses a destination that appeared in between.
                void MoveOnce(string temp)
                {
                    if (!File.Exists(_path))
                    {
                        File.Move(temp, _path);
                    }
                }

                // Created without overwriting whatever a racer wrote; the failure is handled.
                void CreateOnce()
                {
                    if (!File.Exists(_path))
                    {
                        try
                        {
                            using var stream = new FileStream(_path, FileMode.CreateNew);
                        }
                        catch (IOException)
                        {
                        }
                    }
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Quiet_for_constant_defaults_and_under_the_writers_lock()
    {
        await Verify.AnalyzerTest<ExistsThenActCheck>("""
            using System.IO;

            class Store
            {
                private readonly object _gate = new();
                private readonly string _path = "state.json";
                private const string Welcome = "Welcome!";

                void Save(string json) { lock (_gate) { File.WriteAllText(_path, json); } }

                // Two racing creators write the same bytes.
                void EnsureTag(string cacheFolder)
                {
                    var tag = Path.Combine(cacheFolder, "CACHEDIR.TAG");
                    if (!File.Exists(tag))
                    {
                        File.WriteAllText(tag, "Signature: 8a477f597d28d172789f06886806bc55\n");
                    }
                }

                void EnsureMotd(string motd)
                {
                    if (!File.Exists(motd))
                    {
                        File.WriteAllText(motd, Welcome);
                    }
                }

                // Every writer of the file holds the same lock.
                string? Load()
                {
                    lock (_gate)
                    {
                        return File.Exists(_path) ? File.ReadAllText(_path) : null;
                    }
                }

                void CreateDefaults()
                {
                    lock (_gate)
                    {
                        if (!File.Exists(_path))
                        {
                            File.WriteAllText(_path, Defaults());
                        }
                    }
                }

                // Not constant, no lock: still reported.
                void CreateUnlocked()
                {
                    if (!File.Exists(_path))
                    {
                        {|CKPT608:File.WriteAllText(_path, Defaults())|};
                    }
                }

                private static string Defaults() => "{}";
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Quiet_when_the_check_and_the_read_are_in_branches_of_which_one_runs()
    {
        await Verify.AnalyzerTest<ExistsThenActCheck>("""
            using System.IO;

            class Store
            {
                private readonly string _path = "state.json";

                void Save(string json) => File.WriteAllText(_path, json);

                string? Branches(bool probe)
                {
                    if (probe)
                    {
                        if (!File.Exists(_path))
                        {
                            return null;
                        }

                        return "present";
                    }
                    else
                    {
                        return File.ReadAllText(_path);
                    }
                }

                string? ByMode(int mode)
                {
                    switch (mode)
                    {
                        case 0:
                            return File.Exists(_path) ? "present" : null;
                        default:
                            return File.ReadAllText(_path);
                    }
                }
            }
            """).RunAsync();
    }

    private const string Store = """
        using System.IO;

        class SettingsStore
        {
            private readonly string _path = "settings.json";
            private readonly string _lines = "recent.txt";
            private const string Scheduled = "uninstall.txt";

            void Save(string json) => File.WriteAllText(_path, json);

            void SaveLines(string[] lines) => File.WriteAllLines(_lines, lines);

            void Done() => File.Delete(Scheduled);

        BODY
        }
        """;

    [Fact]
    public async Task Fix_handles_the_file_vanishing_at_the_read_as_the_code_handles_a_missing_file()
    {
        var before = Store.Replace("BODY", """
                string Load()
                {
                    if (File.Exists(_path))
                    {
                        return {|CKPT608:File.ReadAllText(_path)|}.Trim();
                    }

                    return "";
                }

                string[] Lines(string[] missing)
                {
                    if (!File.Exists(_lines))
                    {
                        return missing;
                    }

                    return {|CKPT608:File.ReadAllLines(_lines)|};
                }

                async System.Threading.Tasks.Task<string> KeyAsync()
                {
                    if (File.Exists(_path))
                        return await {|CKPT608:File.ReadAllTextAsync(_path)|};

                    return string.Empty;
                }
            """);
        var after = Store.Replace("BODY", """
                string Load()
                {
                    if (File.Exists(_path))
                    {
                        try
                        {
                            return File.ReadAllText(_path).Trim();
                        }
                        catch (IOException missing) when (missing is FileNotFoundException || missing is DirectoryNotFoundException)
                        {
                            // Deleted after the check: handled below as a missing file.
                        }
                    }

                    return "";
                }

                string[] Lines(string[] missing)
                {
                    if (!File.Exists(_lines))
                    {
                        return missing;
                    }

                    try
                    {
                        return File.ReadAllLines(_lines);
                    }
                    catch (IOException missing2) when (missing2 is FileNotFoundException || missing2 is DirectoryNotFoundException)
                    {
                        return missing;
                    }
                }

                async System.Threading.Tasks.Task<string> KeyAsync()
                {
                    if (File.Exists(_path))
                    {
                        try
                        {
                            return await File.ReadAllTextAsync(_path);
                        }
                        catch (IOException missing) when (missing is FileNotFoundException || missing is DirectoryNotFoundException)
                        {
                            // Deleted after the check: handled below as a missing file.
                        }
                    }

                    return string.Empty;
                }
            """);
        var test = Verify.CodeFix<ExistsThenActCheck, ActThenHandleCodeFixProvider>(before, after, withHelper: false);
        test.CodeFixTestBehaviors |= Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_creates_an_empty_file_with_OpenOrCreate()
    {
        var before = Store.Replace("BODY", """
                void Schedule(string folder)
                {
                    if (!File.Exists(Scheduled))
                    {
                        {|CKPT608:File.CreateText(Scheduled)|}.Dispose();
                    }

                    File.AppendAllLines(Scheduled, new[] { folder });
                }
            """);
        var after = Store.Replace("BODY", """
                void Schedule(string folder)
                {
                    if (!File.Exists(Scheduled))
                    {
                        new FileStream(Scheduled, FileMode.OpenOrCreate, FileAccess.Write).Dispose();
                    }

                    File.AppendAllLines(Scheduled, new[] { folder });
                }
            """);
        var test = Verify.CodeFix<ExistsThenActCheck, ActThenHandleCodeFixProvider>(before, after, withHelper: false);
        test.CodeActionEquivalenceKey = ActThenHandleCodeFixProvider.CreateEquivalenceKey;
        test.CodeFixTestBehaviors |= Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_where_the_outcome_of_a_missing_file_is_not_plain()
    {
        var source = Store.Replace("BODY", """
                string Else()
                {
                    if (File.Exists(_path))
                    {
                        return {|CKPT608:File.ReadAllText(_path)|};
                    }
                    else
                    {
                        return "";
                    }
                }

                string More()
                {
                    if (File.Exists(_path))
                    {
                        var text = {|CKPT608:File.ReadAllText(_path)|};
                        return text + File.ReadAllText(_path + ".extra");
                    }

                    return "";
                }

                string Logged()
                {
                    if (!File.Exists(_path))
                    {
                        System.Console.WriteLine("none");
                        return "";
                    }

                    return {|CKPT608:File.ReadAllText(_path)|};
                }

                async System.Threading.Tasks.Task<string> Later()
                {
                    if (File.Exists(_path))
                    {
                        return await Read();
                    }

                    return "";
                }

                System.Threading.Tasks.Task<string> Read()
                {
                    if (File.Exists(_path))
                    {
                        return {|CKPT608:File.ReadAllTextAsync(_path)|};
                    }

                    return System.Threading.Tasks.Task.FromResult("");
                }

                void Written()
                {
                    if (!File.Exists(Scheduled))
                    {
                        {|CKPT608:File.WriteAllText(Scheduled, "1")|};
                    }
                }
            """);
        var test = Verify.CodeFix<ExistsThenActCheck, ActThenHandleCodeFixProvider>(source, source, withHelper: false);
        test.CodeFixTestBehaviors |= Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        await test.RunAsync();
    }
}
