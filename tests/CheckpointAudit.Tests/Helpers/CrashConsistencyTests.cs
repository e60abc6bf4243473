using CheckpointAudit;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>
/// Kill-during-write tests: a child process rewrites a file in a loop and is killed with SIGKILL
/// at random moments. With CheckpointFile the file must always hold exactly one complete version;
/// the same harness pointed at File.WriteAllText must find torn files, proving it can fail.
/// </summary>
public sealed class CrashConsistencyTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("CHECKPOINTAUDIT_CRASH_ITERATIONS"), out var n) && n > 0 ? n : 200;

    [Fact]
    public void Helper_always_leaves_one_complete_version()
    {
        const int length = 512 * 1024;
        var child = CrashChild.Instance;
        var random = new Random(20261128);
        var results = new (long Version, bool InterruptedWrite)[Iterations];

        // Two independent files and children at a time: the machine has two cores.
        Parallel.For(0, 2, worker =>
        {
            var path = Path.Combine(_directory, $"state-{worker}.json");
            File.WriteAllText(path, child.Build(0, length));
            long version = 0;
            for (var i = worker; i < results.Length; i += 2)
            {
                int delay;
                lock (random)
                {
                    delay = random.Next(0, 60);
                }

                child.RunAndKill("helper", path, length, version, TimeSpan.FromMilliseconds(delay));
                var found = child.CompleteVersion(path);
                Assert.True(found >= version, $"kill {i}: '{path}' is torn or empty (last complete version {version})");

                // A leftover temp file means the kill landed in the middle of a write.
                var temps = Directory.GetFiles(_directory, $".state-{worker}.json.*.tmp");
                foreach (var temp in temps)
                {
                    File.Delete(temp);
                }

                results[i] = (found, temps.Length > 0);
                version = found;
            }
        });

        var interrupted = results.Count(r => r.InterruptedWrite);
        var advanced = results.Count(r => r.Version > 0);
        output.WriteLine($"{results.Length} kills, {interrupted} during a write (temp left behind), file always complete; last versions {results[^2].Version}/{results[^1].Version}");
        Assert.True(interrupted >= results.Length / 10, $"only {interrupted} of {results.Length} kills interrupted a write: the test would not catch a torn file");
        Assert.True(advanced > 0, "the child never completed a write");
    }

    [Fact]
    public void Save_always_leaves_a_checkpoint_that_loads()
    {
        const int length = 256 * 1024;
        var child = CrashChild.Instance;
        var random = new Random(20261129);
        var path = Path.Combine(_directory, "checkpoint.json");
        CheckpointFile.Save(path, child.Build(0, length), text => text);
        long version = 0;
        var interrupted = 0;
        var kills = Math.Max(20, Iterations / 4);
        for (var i = 0; i < kills; i++)
        {
            child.RunAndKill("save", path, length, version, TimeSpan.FromMilliseconds(random.Next(0, 60)));

            // Load verifies the checksum and would move a damaged file aside: nothing may be moved.
            var loaded = child.VersionOf(CheckpointFile.Load(path, text => text));
            Assert.True(loaded >= version, $"kill {i}: the checkpoint went back from version {version} to {loaded}");
            Assert.Empty(Directory.GetFiles(_directory, "checkpoint.json.corrupt-*"));
            var temps = Directory.GetFiles(_directory, ".checkpoint.json.*.tmp");
            interrupted += temps.Length > 0 ? 1 : 0;
            foreach (var temp in temps)
            {
                File.Delete(temp);
            }

            version = loaded;
        }

        output.WriteLine($"CheckpointFile.Save: {kills} kills, {interrupted} during a write, every load verified; last version {version}");
        Assert.True(interrupted > 0, "no kill interrupted a save: the test would not catch a damaged checkpoint");
    }

    [Fact]
    public void Harness_detects_torn_files_from_File_WriteAllText()
    {
        const int length = 4 * 1024 * 1024;
        var child = CrashChild.Instance;
        var random = new Random(7);
        var path = Path.Combine(_directory, "direct.json");
        File.WriteAllText(path, child.Build(0, length));

        var torn = 0;
        var kills = 0;
        for (; kills < 60 && torn < 3; kills++)
        {
            child.RunAndKill("direct", path, length, 0, TimeSpan.FromMilliseconds(random.Next(5, 80)));
            if (child.CompleteVersion(path) < 0)
            {
                torn++;
            }
        }

        output.WriteLine($"File.WriteAllText: {torn} torn file(s) in {kills} kills");
        Assert.True(torn > 0, $"no torn file in {kills} kills: the harness cannot tell a safe write from an unsafe one");
    }
}
