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
