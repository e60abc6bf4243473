using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class SharedTempNameTests
{
    private static string Wrap(string body) => $$"""
        using System;
        using System.IO;
        using System.Runtime.CompilerServices;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            private readonly string _filePath = "state.json";
            private readonly string _tempPath = "state.json.tmp";
            private readonly object _gate = new();
            private readonly SemaphoreSlim _saveLock = new(1, 1);

        {{body}}
        }
        """;

    private static Task Verify206(string body) => Verify.AnalyzerAsync<SharedTempNameCheck>(Wrap(body));

    [Fact]
    public async Task Flags_fixed_temp_names_in_async_code()
    {
        await Verify206("""
                async Task SaveAsync(object state)
                {
                    var tempPath = _filePath + ".tmp";
                    await File.WriteAllTextAsync(tempPath, JsonSerializer.Serialize(state));
                    {|CKPT206:File.Move(tempPath, _filePath, true)|};
                }

                async void OnChanged(object state)
                {
                    var tempPath = $"{_filePath}.tmp";
                    await using (var stream = File.Create(tempPath))
                    {
                        await JsonSerializer.SerializeAsync(stream, state);
                    }

                    {|CKPT206:File.Replace(tempPath, _filePath, null)|};
                }

                async Task SaveToLiteralAsync(string json)
                {
                    await File.WriteAllTextAsync("state.json.tmp", json);
                    {|CKPT206:File.Move("state.json.tmp", "state.json", true)|};
                }

                async Task SaveToFieldAsync(string json)
                {
                    await File.WriteAllTextAsync(_tempPath, json);
                    {|CKPT206:File.Move(_tempPath, _filePath, true)|};
                }

                async Task SaveInTempDirectoryAsync(string json)
                {
                    var tempPath = Path.Combine(Path.GetTempPath(), "myapp-state.tmp");
                    await File.WriteAllTextAsync(tempPath, json);
                    {|CKPT206:File.Move(tempPath, _filePath, true)|};
                }
            """);
    }

    [Fact]
    public async Task Flags_fixed_temp_names_in_pool_callbacks_and_pool_events()
    {
        await Verify206("""
                void Start(object state, System.Timers.Timer timer)
                {
                    Task.Run(() =>
                    {
                        var tmp = Path.ChangeExtension(_filePath, ".tmp");
                        File.WriteAllText(tmp, JsonSerializer.Serialize(state));
                        {|CKPT206:File.Move(tmp, _filePath, true)|};
                    });
                    timer.Elapsed += OnElapsed;
                    ThreadPool.QueueUserWorkItem(_ => Save("x"));
                }

                void OnElapsed(object? sender, System.Timers.ElapsedEventArgs e)
                {
                    var tmp = _filePath + ".new";
                    File.WriteAllText(tmp, "tick");
                    {|CKPT206:File.Move(tmp, _filePath, true)|};
                }

                void Save(string json)
                {
                    var tmp = _filePath + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT206:File.Move(tmp, _filePath, true)|};
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_serialized_unique_or_sequential()
    {
        await Verify206("""
                async Task LockedAsync(string json)
                {
                    await _saveLock.WaitAsync();
                    try
                    {
                        var tmp = _filePath + ".tmp";
                        await File.WriteAllTextAsync(tmp, json);
                        File.Move(tmp, _filePath, true);
                    }
                    finally
                    {
                        _saveLock.Release();
                    }
                }

                void Locked(string json)
                {
                    Task.Run(() =>
                    {
                        lock (_gate)
                        {
                            var tmp = _filePath + ".tmp";
                            File.WriteAllText(tmp, json);
                            File.Move(tmp, _filePath, true);
                        }
                    });
                }

                async Task GuardedAsync(string json, Func<Task<IDisposable>> acquire)
                {
                    using (await acquire())
                    {
                        var tmp = _filePath + ".tmp";
                        await File.WriteAllTextAsync(tmp, json);
                        File.Move(tmp, _filePath, true);
                    }
                }

                async Task UniqueAsync(string json)
                {
                    var tmp = _filePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    await File.WriteAllTextAsync(tmp, json);
                    File.Move(tmp, _filePath, true);
                }

                async Task RandomAsync(string json)
                {
                    var tmp = Path.Combine(Path.GetDirectoryName(_filePath)!, Path.GetRandomFileName());
                    await File.WriteAllTextAsync(tmp, json);
                    File.Move(tmp, _filePath, true);
                }

                // Synchronous and not handed to the pool: one save at a time.
                void SaveSync(string json)
                {
                    var tmp = _filePath + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, _filePath, true);
                }

                // A sync UI-style event handler runs on one thread.
                void OnClick(object? sender, EventArgs e) => SaveSync("click");

                [MethodImpl(MethodImplOptions.Synchronized)]
                void Synchronized(string json)
                {
                    var tmp = _filePath + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, _filePath, true);
                }

                void StartSynchronized() => Task.Run(() => Synchronized("x"));

                // Private, and every caller holds the semaphore.
                private async Task SaveCoreAsync(string json)
                {
                    var tmp = _filePath + ".tmp";
                    await File.WriteAllTextAsync(tmp, json);
                    File.Move(tmp, _filePath, true);
                }

                public async Task SaveAsync(string json)
                {
                    await _saveLock.WaitAsync();
                    try { await SaveCoreAsync(json); } finally { _saveLock.Release(); }
                }

                // The temp is not written here: a rename of someone else's file.
                async Task PromoteAsync(string tmp)
                {
                    await Task.Yield();
                    File.Move(tmp, _filePath, true);
                }
            """);
    }

    [Fact]
    public async Task Flags_a_private_helper_that_names_the_temp_of_concurrent_saves()
    {
        await Verify206("""
                public Task SaveAsync(string path, string json) => WriteAsync(path, temp => File.WriteAllTextAsync(temp, json));

                // The temp is written by the delegate the method is given, and promoted by a helper of the type.
                private static async Task WriteAsync(string path, Func<string, Task> writeTemp)
                {
                    var temp = PrepareTempPath(path);
                    try
                    {
                        await writeTemp(temp);
                        Swap(temp, path);
                    }
                    finally
                    {
                        if (File.Exists(temp)) File.Delete(temp);
                    }
                }

                private static string PrepareTempPath(string path)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                    return {|CKPT206:path + ".tmp"|};
                }

                private static void Swap(string temp, string path)
                {
                    if (File.Exists(path)) File.Replace(temp, path, null);
                    else File.Move(temp, path);
                }

                // Written and moved by the caller itself.
                async Task SaveStateAsync(string json)
                {
                    var temp = NameOfTemp();
                    await File.WriteAllTextAsync(temp, json);
                    File.Move(temp, _filePath, true);
                }

                private string NameOfTemp() => {|CKPT206:_filePath + ".new"|};
            """);
    }

    [Fact]
    public async Task Quiet_for_helpers_that_name_unique_temps_or_whose_callers_do_not_race()
    {
        await Verify206("""
                private static long _sequence;

                async Task SaveUniqueAsync(string json)
                {
                    var temp = UniqueTemp(_filePath);
                    await File.WriteAllTextAsync(temp, json);
                    File.Move(temp, _filePath, true);
                }

                // A process-wide counter (and a GUID) give every save its own name.
                private static string UniqueTemp(string path) => $"{path}.{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}.tmp";

                async Task SaveGuidAsync(string json)
                {
                    var temp = GuidTemp(_filePath);
                    await File.WriteAllTextAsync(temp, json);
                    File.Move(temp, _filePath, true);
                }

                private static string GuidTemp(string path) => path + "." + Guid.NewGuid().ToString("N");

                // The one caller is synchronous and handed to no thread.
                void Save(string json)
                {
                    var temp = SyncTemp(_filePath);
                    File.WriteAllText(temp, json);
                    File.Move(temp, _filePath, true);
                }

                private static string SyncTemp(string path) => path + ".tmp";

                // Every save holds the semaphore.
                async Task SaveLockedAsync(string json)
                {
                    await _saveLock.WaitAsync();
                    try
                    {
                        var temp = LockedTemp(_filePath);
                        await File.WriteAllTextAsync(temp, json);
                        File.Move(temp, _filePath, true);
                    }
                    finally
                    {
                        _saveLock.Release();
                    }
                }

                private static string LockedTemp(string path) => path + ".tmp";

                // The name is written but never moved into place: not a temp of a save.
                async Task ExportAsync(string json)
                {
                    var export = ExportName(_filePath);
                    await File.WriteAllTextAsync(export, json);
                }

                private static string ExportName(string path) => path + ".export";

                // Moved into place without being written here: a rename of a file someone else made.
                async Task AdoptAsync()
                {
                    await Task.Yield();
                    var incoming = IncomingName(_filePath);
                    File.Move(incoming, _filePath, true);
                }

                private static string IncomingName(string path) => path + ".incoming";
            """);
    }

    [Fact]
    public async Task Fix_makes_the_name_a_helper_returns_unique()
    {
        const string Body = """
                async Task SaveAsync(string json)
                {
                    var temp = TempFor(_filePath);
                    await File.WriteAllTextAsync(temp, json);
                    File.Move(temp, _filePath, true);
                }

                private static string TempFor(string path) => NAME;
            """;
        await Verify.CodeFix<SharedTempNameCheck, UniqueTempNameCodeFixProvider>(
            Wrap(Body.Replace("NAME", "{|CKPT206:path + \".tmp\"|}")),
            Wrap(Body.Replace("NAME", "path + \".\" + Guid.NewGuid().ToString(\"N\") + \".tmp\""))).RunAsync();
    }

    private const string WatchedSettings = """
        using System;
        using System.Diagnostics;
        using System.IO;

        class SettingsFile
        {
            private readonly object _gate = new();
            private readonly FileSystemWatcher _watcher = new();

            public string SettingsFilePath { get; }

            public SettingsFile(string path)
            {
                SettingsFilePath = path;
                _watcher.Path = Path.GetDirectoryName(path)!;
                _watcher.Filter = Path.GetFileName(SettingsFilePath);
                _watcher.Changed += (_, _) => Reload();
                _watcher.EnableRaisingEvents = true;
            }

            void Reload() { }

        BODY
        }
        """;

    [Fact]
    public async Task Flags_a_fixed_temp_of_a_file_other_instances_save_too()
    {
        // The type watches its settings file for other processes' changes: the lock orders this process's saves only.
        await Verify.AnalyzerAsync<SharedTempNameCheck>(WatchedSettings.Replace("BODY", """
                public void Save(string text)
                {
                    lock (_gate)
                    {
                        var tmp = SettingsFilePath + ".tmp";
                        File.WriteAllText(tmp, text);
                        {|CKPT206:File.Copy(tmp, SettingsFilePath, true)|};
                        File.Delete(tmp);
                    }
                }

                public void SaveByMove(string text)
                {
                    lock (_gate)
                    {
                        var tmp = SettingsFilePath + ".new";
                        File.WriteAllText(tmp, text);
                        {|CKPT206:File.Move(tmp, SettingsFilePath, true)|};
                    }
                }
            """));
    }

    [Fact]
    public async Task Quiet_when_each_instance_names_its_own_temp_or_the_copy_is_kept()
    {
        await Verify.AnalyzerAsync<SharedTempNameCheck>(WatchedSettings.Replace("BODY", """
                public void Save(string text)
                {
                    lock (_gate)
                    {
                        int processId;
                        using (var current = Process.GetCurrentProcess())
                        {
                            processId = current.Id;
                        }

                        var tmp = SettingsFilePath + processId + ".tmp";
                        File.WriteAllText(tmp, text);
                        File.Copy(tmp, SettingsFilePath, true);
                        File.Delete(tmp);
                    }
                }

                public void SaveWithPid(string text)
                {
                    lock (_gate)
                    {
                        var tmp = $"{SettingsFilePath}.{Environment.ProcessId}.tmp";
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, SettingsFilePath, true);
                    }
                }

                // Written, then copied to a second place and kept: a backup, not a temp.
                public void SaveAndBackUp(string text)
                {
                    lock (_gate)
                    {
                        var copy = SettingsFilePath + ".tmp";
                        File.WriteAllText(copy, text);
                        File.Copy(copy, SettingsFilePath, true);
                    }
                }

                // Another file: nobody else is known to save it.
                public void SaveCache(string text, string cachePath)
                {
                    lock (_gate)
                    {
                        var tmp = cachePath + ".tmp";
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, cachePath, true);
                    }
                }
            """));
    }

    [Fact]
    public async Task A_helper_named_temp_is_reported_wherever_the_helper_path_does_not_follow_it()
    {
        // Other instances save the watched file: reported at the helper's return, lock or not. A FileInfo over the
        // helper's name, and a helper also used as a method group, are judged at the move, as without a helper.
        await Verify.AnalyzerAsync<SharedTempNameCheck>(WatchedSettings.Replace("BODY", """
                public void Save(string text)
                {
                    lock (_gate)
                    {
                        var tmp = TempOf(SettingsFilePath);
                        File.WriteAllText(tmp, text);
                        File.Copy(tmp, SettingsFilePath, true);
                        File.Delete(tmp);
                    }
                }

                private static string TempOf(string path) => {|CKPT206:path + ".tmp"|};

                public void SaveThroughInfo(string text)
                {
                    lock (_gate)
                    {
                        var info = new FileInfo(InfoTemp(SettingsFilePath));
                        File.WriteAllText(info.FullName, text);
                        {|CKPT206:info.MoveTo(SettingsFilePath, true)|};
                    }
                }

                private static string InfoTemp(string path) => path + ".new";

                public void SaveShared(string text)
                {
                    lock (_gate)
                    {
                        var tmp = SharedTemp(SettingsFilePath);
                        File.WriteAllText(tmp, text);
                        {|CKPT206:File.Move(tmp, SettingsFilePath, true)|};
                    }
                }

                private static string SharedTemp(string path) => path + ".part";

                private Func<string, string> Namer => SharedTemp;
            """));
    }

    [Fact]
    public async Task Quiet_when_saves_are_ordered_across_processes_or_the_temp_is_not_published()
    {
        await Verify.AnalyzerAsync<SharedTempNameCheck>(WatchedSettings.Replace("BODY", """
                private readonly System.Threading.Mutex _acrossProcesses = new(false, "MyApp.Settings");
                private readonly Action<string> _log = Console.WriteLine;
                private static readonly int Pid = Environment.ProcessId;

                // A named mutex orders the saves of every instance.
                public void Save(string text)
                {
                    _acrossProcesses.WaitOne();
                    try
                    {
                        var tmp = SettingsFilePath + ".tmp";
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, SettingsFilePath, true);
                    }
                    finally
                    {
                        _acrossProcesses.ReleaseMutex();
                    }
                }
            """));

        await Verify.AnalyzerAsync<SharedTempNameCheck>(WatchedSettings.Replace("BODY", """
                private readonly Action<string> _log = Console.WriteLine;
                private static readonly int Pid = Environment.ProcessId;

                // The process id, through a field.
                public void SaveWithPid(string text)
                {
                    lock (_gate)
                    {
                        var tmp = SettingsFilePath + "." + Pid + ".tmp";
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, SettingsFilePath, true);
                    }
                }

                // Deleted only when the copy fails: the copy and the temp are kept.
                public void SaveWithCleanup(string text)
                {
                    lock (_gate)
                    {
                        var tmp = SettingsFilePath + ".tmp";
                        File.WriteAllText(tmp, text);
                        try
                        {
                            File.Copy(tmp, SettingsFilePath, true);
                        }
                        catch (IOException)
                        {
                            File.Delete(tmp);
                            throw;
                        }
                    }
                }

                // A delegate that only logs the name does not write the temp.
                public async Task AdoptAsync()
                {
                    await Task.Yield();
                    var incoming = Incoming(SettingsFilePath);
                    _log(incoming);
                    File.Move(incoming, SettingsFilePath, true);
                }

                private static string Incoming(string path) => path + ".incoming";

                // A Filter of something that is not a watcher names nothing watched.
                private readonly Options _options = new();

                private sealed class Options { public string Filter { get; set; } = ""; }

                public void SaveOther(string text, string other)
                {
                    _options.Filter = Path.GetFileName(other);
                    lock (_gate)
                    {
                        var tmp = other + ".tmp";
                        File.WriteAllText(tmp, text);
                        File.Move(tmp, other, true);
                    }
                }
            """).Replace("using System.IO;", "using System.IO;\nusing System.Threading.Tasks;"));
    }

    [Fact]
    public async Task A_watcher_given_its_filter_in_an_initializer_counts()
    {
        await Verify206("""
                private readonly FileSystemWatcher _watcher;

                Store()
                {
                    _watcher = new FileSystemWatcher(Path.GetDirectoryName(_filePath)!) { Filter = Path.GetFileName(_filePath) };
                }

                public void Save(string json)
                {
                    lock (_gate)
                    {
                        var tmp = _filePath + ".tmp";
                        File.WriteAllText(tmp, json);
                        {|CKPT206:File.Move(tmp, _filePath, true)|};
                    }
                }

                // A counter that is not a static field's, or that only reads it, makes no name unique.
                private long _count;

                public async Task SaveCountedAsync(string json)
                {
                    var tmp = $"{_filePath}.{Interlocked.Increment(ref _count)}.tmp";
                    await File.WriteAllTextAsync(tmp, json);
                    {|CKPT206:File.Move(tmp, _filePath, true)|};
                }
            """);
    }

    [Fact]
    public async Task A_caller_configured_as_an_atomic_write_method_is_not_judged_through_its_helper()
    {
        await Verify.AnalyzerAsync<SharedTempNameCheck>(Wrap("""
                async Task SaveAtomicallyAsync(string json)
                {
                    var temp = TempFor(_filePath);
                    await File.WriteAllTextAsync(temp, json);
                    File.Move(temp, _filePath, true);
                }

                private static string TempFor(string path) => path + ".tmp";
            """), "checkpoint_audit.atomic_write_methods = Store.SaveAtomicallyAsync\n");
    }

    [Theory]
    [InlineData("_filePath + \".tmp\"", "_filePath + \".\" + Guid.NewGuid().ToString(\"N\") + \".tmp\"")]
    [InlineData("$\"{_filePath}.tmp\"", "$\"{_filePath}.{Guid.NewGuid():N}.tmp\"")]
    [InlineData("Path.ChangeExtension(_filePath, \".tmp\")", "Path.ChangeExtension(_filePath, \".\" + Guid.NewGuid().ToString(\"N\") + \".tmp\")")]
    [InlineData("Path.Combine(Path.GetTempPath(), \"state.tmp\")", "Path.Combine(Path.GetTempPath(), \"state.\" + Guid.NewGuid().ToString(\"N\") + \".tmp\")")]
    [InlineData("_filePath + \"~\"", "_filePath + \"~.\" + Guid.NewGuid().ToString(\"N\")")]
    public async Task Fix_makes_the_temp_name_unique(string before, string after)
    {
        var body = """
                async Task SaveAsync(string json)
                {
                    var tmp = TEMP;
                    await File.WriteAllTextAsync(tmp, json);
                    MOVE;
                }
            """;
        await Verify.CodeFix<SharedTempNameCheck, UniqueTempNameCodeFixProvider>(
            Wrap(body.Replace("TEMP", before).Replace("MOVE", "{|CKPT206:File.Move(tmp, _filePath, true)|}")),
            Wrap(body.Replace("TEMP", after).Replace("MOVE", "File.Move(tmp, _filePath, true)"))).RunAsync();
    }

    [Fact]
    public async Task No_fix_for_a_readonly_field_temp()
    {
        var source = Wrap("""
                async Task SaveAsync(string json)
                {
                    await File.WriteAllTextAsync(_tempPath, json);
                    {|CKPT206:File.Move(_tempPath, _filePath, true)|};
                }
            """);
        var test = Verify.CodeFix<SharedTempNameCheck, UniqueTempNameCodeFixProvider>(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        var test = Verify.CodeFix<SharedTempNameCheck, UniqueTempNameCodeFixProvider>(
            Wrap("""
                    async Task AAsync(string json)
                    {
                        var tmp = _filePath + ".tmp";
                        await File.WriteAllTextAsync(tmp, json);
                        {|CKPT206:File.Move(tmp, _filePath, true)|};
                    }

                    async Task BAsync(string json)
                    {
                        var tmp = $"{_filePath}.new";
                        await File.WriteAllTextAsync(tmp, json);
                        {|CKPT206:File.Move(tmp, _filePath, true)|};
                    }
                """),
            Wrap("""
                    async Task AAsync(string json)
                    {
                        var tmp = _filePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        await File.WriteAllTextAsync(tmp, json);
                        File.Move(tmp, _filePath, true);
                    }

                    async Task BAsync(string json)
                    {
                        var tmp = $"{_filePath}.{Guid.NewGuid():N}.new";
                        await File.WriteAllTextAsync(tmp, json);
                        File.Move(tmp, _filePath, true);
                    }
                """));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
