using CheckpointAudit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>
/// Kill-during-write tests. A child process writes one new version of a file and SIGKILLs itself just
/// before a chosen file operation of that write (<see cref="CrashPoint"/>): every operation of the write
/// is a kill point, whole and, for writes, with half of the bytes written. The kill lands inside the
/// write by construction, so the outcome does not depend on how busy the machine is. With CheckpointFile
/// the file must always hold exactly one complete version; the same harness pointed at File.WriteAllText
/// must find torn files, proving it can fail. CHECKPOINTAUDIT_CRASH_ITERATIONS adds that many kills at
/// points drawn at random (seeded) for a long run.
/// </summary>
public sealed class CrashConsistencyTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static int ExtraRandomKills => int.TryParse(Environment.GetEnvironmentVariable("CHECKPOINTAUDIT_CRASH_ITERATIONS"), out var n) && n > 0 ? n : 0;

    /// <summary>One kill: where it landed and the version the file held afterwards (-1: torn, empty or missing).</summary>
    private sealed record Kill(CrashPoint.Point Point, CrashPoint.Operation At, long VersionBefore, long VersionAfter, int TempsLeft);

    [Fact]
    public void Helper_always_leaves_one_complete_version()
    {
        var kills = KillWritesOfCompleteVersions("helper", "state.json", seed: 20261128);

        // The kills covered the write itself: the temp's data (whole and torn), its flush and the rename.
        Assert.Contains(kills, k => k.At.Kind == "write" && k.Point.Tear);
        Assert.Contains(kills, k => k.At.Kind == "fsync");
        Assert.Contains(kills, k => k.At.Kind == "rename");
        Assert.Contains(kills, k => k.TempsLeft > 0);
    }

    [Fact]
    public void Atomic_stream_always_leaves_one_complete_version()
    {
        AssertStreamWriteWasKilledThroughout(KillWritesOfCompleteVersions("stream", "streamed.json", seed: 20261203));
    }

    [Fact]
    public void Stream_committed_on_close_always_leaves_one_complete_version()
    {
        AssertStreamWriteWasKilledThroughout(KillWritesOfCompleteVersions("autocommit", "exported.json", seed: 20261205));
    }

    /// <summary>The writer's many writes (whole and torn), the flush to disk at close and the rename were all kill points.</summary>
    private static void AssertStreamWriteWasKilledThroughout(List<Kill> kills)
    {
        Assert.True(kills.Count(k => k.At.Kind == "write") > 4, "the stream's writes were not among the kill points");
        Assert.Contains(kills, k => k.At.Kind == "write" && k.Point.Tear);
        Assert.Contains(kills, k => k.At.Kind == "fsync");
        Assert.Contains(kills, k => k.At.Kind == "rename");
    }

    [Fact]
    public void Atomic_copy_always_leaves_one_complete_version()
    {
        var kills = KillWritesOfCompleteVersions("copy", "copied.json", seed: 20261205);

        // The copy's creation, its flush to disk and the rename over the target were kill points.
        Assert.Contains(kills, k => k.At.Kind == "fsync");
        Assert.Contains(kills, k => k.At.Kind == "rename");
    }

    /// <summary>
    /// Kills a write of a 512 KiB version at every point and checks that the file always holds the version before or
    /// the one after, and that the next write in a later process deletes what a killed writer left behind.
    /// </summary>
    private List<Kill> KillWritesOfCompleteVersions(string mode, string file, int seed)
    {
        const int length = 512 * 1024;
        var child = CrashChild.Instance;
        var path = Path.Combine(_directory, file);
        File.WriteAllText(path, child.Build(0, length));

        var kills = KillAtEveryPoint(mode, path, length, seed, child.CompleteVersion);
        foreach (var kill in kills)
        {
            Assert.True(
                kill.VersionAfter == kill.VersionBefore || kill.VersionAfter == kill.VersionBefore + 1,
                $"killed at {kill.At} ({kill.Point}): the file holds {Describe(kill.VersionAfter)}, expected version {kill.VersionBefore} or {kill.VersionBefore + 1}");
        }

        Assert.All(kills, k => Assert.True(k.TempsLeft <= 1, $"after the kill at {k.At} ({k.Point}) {k.TempsLeft} temps are left: earlier kills' temps were not swept"));
        return kills;
    }

    [Fact]
    public void Save_always_leaves_a_checkpoint_that_loads()
    {
        const int length = 256 * 1024;
        var child = CrashChild.Instance;
        var path = Path.Combine(_directory, "checkpoint.json");
        CheckpointFile.Save(path, child.Build(0, length), text => text);

        // Load verifies the checksum, falls back to the previous version and would move a damaged file aside.
        var kills = KillAtEveryPoint("save", path, length, seed: 20261129, p => child.VersionOf(CheckpointFile.Load(p, text => text)));

        foreach (var kill in kills)
        {
            Assert.True(
                kill.VersionAfter == kill.VersionBefore || kill.VersionAfter == kill.VersionBefore + 1,
                $"killed at {kill.At} ({kill.Point}): the checkpoint loads as {Describe(kill.VersionAfter)}, expected version {kill.VersionBefore} or {kill.VersionBefore + 1}");
        }

        Assert.Empty(Directory.GetFiles(_directory, "checkpoint.json.corrupt-*"));
        Assert.Contains(kills, k => k.At.Kind == "write" && k.Point.Tear);
        Assert.Contains(kills, k => k.At.Kind == "rename");
        Assert.All(kills, k => Assert.True(k.TempsLeft <= 1, $"after the kill at {k.At} ({k.Point}) {k.TempsLeft} temps are left: earlier kills' temps were not swept"));
    }

    [Fact]
    public void Harness_detects_torn_files_from_File_WriteAllText()
    {
        const int length = 1024 * 1024;
        var child = CrashChild.Instance;
        var path = Path.Combine(_directory, "direct.json");
        File.WriteAllText(path, child.Build(0, length));

        var kills = KillAtEveryPoint("direct", path, length, seed: 7, child.CompleteVersion);

        // File.WriteAllText truncates the file when it opens it: a kill at any of its writes leaves it torn.
        var atWrites = kills.Where(k => k.At.Kind == "write").ToList();
        Assert.NotEmpty(atWrites);
        Assert.All(atWrites, k => Assert.True(k.VersionAfter < 0, $"killed at {k.At} ({k.Point}): the file holds a complete version {k.VersionAfter}"));
    }

    /// <summary>
    /// Writes one version with no kill to learn the write's operations, then kills a write at each of
    /// them (whole and torn), then at <see cref="ExtraRandomKills"/> points drawn at random among them.
    /// </summary>
    private List<Kill> KillAtEveryPoint(string mode, string path, int length, int seed, Func<string, long> versionOf)
    {
        var child = CrashChild.Instance;
        var version = versionOf(path);
        var calibration = child.Write(mode, path, length, version, CrashPoint.Point.Never);
        Assert.False(calibration.Killed);
        Assert.Equal(version + 1, versionOf(path));
        version++;
        var phases = calibration.Operations;
        Assert.NotEmpty(phases);

        // Every operation but the data writes; of those (File.WriteAllText makes one per 8 KB) the first two,
        // the last and three drawn at random, each whole and torn.
        var random = new Random(seed);
        var writes = phases.Where(op => op.Kind == "write").ToList();
        var chosenWrites = writes.Count <= 6
            ? writes
            : writes.Take(2).Append(writes[^1]).Concat(writes.Skip(2).SkipLast(1).OrderBy(_ => random.Next()).Take(3)).ToList();
        var points = phases.Where(op => op.Kind != "write" || chosenWrites.Contains(op))
            .SelectMany(op => op.Kind == "write"
                ? new[] { new CrashPoint.Point(op.Index, false), new CrashPoint.Point(op.Index, true) }
                : new[] { new CrashPoint.Point(op.Index, false) })
            .ToList();
        for (var i = 0; i < ExtraRandomKills; i++)
        {
            points.Add(new CrashPoint.Point(random.Next(1, phases.Count + 1), random.Next(2) == 1));
        }

        var kills = new List<Kill>();
        var tempPattern = "." + Path.GetFileName(path) + ".*.tmp";
        foreach (var point in points)
        {
            // The helper first deletes the temps earlier kills left (one unlink each), then writes: the
            // write's operations come that many places later than in the calibration.
            var leftBefore = Directory.GetFiles(Path.GetDirectoryName(path)!, tempPattern).Length;
            var shifted = mode == "direct" ? point : point with { At = point.At + leftBefore };
            var run = child.Write(mode, path, length, version, shifted);
            Assert.True(run.Killed, $"the write ended before its kill point {shifted}: it made {run.Operations.Count} file operations, the calibration {phases.Count}");
            Assert.Equal(phases[(int)point.At - 1].Kind, run.KilledAt!.Kind);
            var after = versionOf(path);
            var temps = Directory.GetFiles(Path.GetDirectoryName(path)!, tempPattern);
            kills.Add(new Kill(point, run.KilledAt!, version, after, temps.Length));
            if (after >= 0)
            {
                version = after;
            }
            else
            {
                // A torn file (File.WriteAllText only): start the next kill from a complete version again.
                File.WriteAllText(path, child.Build(version, length));
            }
        }

        if (mode != "direct")
        {
            // One write after the last kill: nothing any kill left behind remains.
            var final = child.Write(mode, path, length, version, CrashPoint.Point.Never);
            Assert.False(final.Killed);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, tempPattern));
        }

        output.WriteLine($"{mode}: {phases.Count} file operations per write; {kills.Count} kills:");
        foreach (var kill in kills)
        {
            output.WriteLine($"  {kill.Point,-18} before {kill.At.Kind,-13} {Path.GetFileName(kill.At.Path)} -> {Describe(kill.VersionAfter)} (was {kill.VersionBefore}), temps left {kill.TempsLeft}");
        }

        return kills;
    }

    private static string Describe(long version) => version < 0 ? "a torn file" : $"version {version}";
}
