using CheckpointAudit.Orphans;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Orphans;

public class UnprunedStageFilesTests
{
    // MONITOR rule: off by default (checked by the catalog tests), turned on here the way users do.
    private const string Enabled = "dotnet_diagnostic.CKPT404.severity = warning\n";

    private const string Store = """
        using System;
        using System.IO;
        using System.Text.Json;

        public sealed class Checkpoint { public int Stage { get; set; } }

        public sealed class CheckpointStore(string dataDirectory)
        {
            private string DocumentDirectory(string documentId) => Path.Combine(dataDirectory, documentId);

            public void Save(string documentId, int stage, Checkpoint checkpoint)
            {
                Directory.CreateDirectory(DocumentDirectory(documentId));
                {|CKPT404:File.WriteAllText(Path.Combine(DocumentDirectory(documentId), $"stage-{stage}.json"), JsonSerializer.Serialize(checkpoint))|};
            }

            // Same root and keys: one finding is enough.
            public void SaveAgain(string documentId, int stage, Checkpoint checkpoint)
                => File.WriteAllText(Path.Combine(DocumentDirectory(documentId), $"stage-{stage}.json"), JsonSerializer.Serialize(checkpoint));

            // Deleting before a move onto the same path replaces the file; a failed save's cleanup removes a temp: neither prunes.
            public void Replace(string documentId, int stage, string json)
            {
                var path = Path.Combine(DocumentDirectory(documentId), $"stage-{stage}.json");
                var temp = path + ".edit";
                try
                {
                    File.WriteAllText(temp, json);
                }
                catch (IOException)
                {
                    File.Delete(temp);
                    throw;
                }

                File.Delete(path);
                File.Move(temp, path);
            }

            PRUNE
        }

        public sealed class JobStore
        {
            private readonly string _root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jobs");

            public void Save(Guid jobId, Checkpoint state)
            {
                var tmp = Path.Combine(_root, jobId + ".json.tmp");
                File.WriteAllText(tmp, JsonSerializer.Serialize(state));
                {|CKPT404:File.Move(tmp, Path.Combine(_root, jobId + ".json"), true)|};
            }
        }
        """;

    [Fact]
    public async Task Flags_state_written_per_id_or_stage_that_nothing_deletes()
    {
        await Verify.AnalyzerAsync<UnprunedStageFilesCheck>(Store.Replace("PRUNE", string.Empty), Enabled);
    }

    [Fact]
    public async Task Quiet_when_something_deletes_under_the_root_or_sweeps_the_names()
    {
        var deletes = Store
            .Replace("{|CKPT404:", string.Empty).Replace(")|};", ");")
            .Replace("PRUNE", "public void Delete(string documentId) => Directory.Delete(DocumentDirectory(documentId), recursive: true);")
            + """

            static class Startup
            {
                // Finished jobs expire: a sweep whose pattern reaches '{jobId}.json'.
                public static void Expire(string root)
                {
                    foreach (var file in Directory.GetFiles(root, "*.json"))
                    {
                        if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddDays(-30))
                        {
                            File.Delete(file);
                        }
                    }
                }
            }
            """;
        await Verify.AnalyzerAsync<UnprunedStageFilesCheck>(deletes, Enabled);
    }

    [Fact]
    public async Task Quiet_for_single_files_paths_passed_in_temps_and_output()
    {
        await Verify.AnalyzerAsync<UnprunedStageFilesCheck>(
            """
            using System;
            using System.IO;
            using System.Text.Json;

            public sealed class Settings { public string Theme { get; set; } = ""; }

            public sealed class Files(string root)
            {
                // One file, whatever the call: nothing accumulates.
                public void SaveSettings(Settings settings) => File.WriteAllText(Path.Combine(root, "settings.json"), JsonSerializer.Serialize(settings));

                // The caller names the file.
                public void SaveTo(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));

                // A unique scratch file per call (CKPT403's concern).
                public void Scratch(Settings settings) => File.WriteAllText(Path.Combine(root, Guid.NewGuid() + ".tmp"), JsonSerializer.Serialize(settings));

                // A folder the caller names, with a constant file name in it: no root of this type, no key.
                private const string MetaFile = "meta.json";

                public void SaveMeta(string folder, Settings settings) => File.WriteAllText(Path.Combine(folder, MetaFile), JsonSerializer.Serialize(settings));

                // A file API: the caller names the file.
                public Stream Create(string file) => File.Create(Path.Combine(root, file));

                // A rename of existing data adds no file.
                public void Rename(string oldName, string newName) => File.Move(Path.Combine(root, oldName + ".json"), Path.Combine(root, newName + ".json"));

                // Regenerable output: a thumbnail cache per ID.
                public void CacheThumbnail(string id, byte[] png) => File.WriteAllBytes(Path.Combine(root, "thumbnails", id + ".png"), png);
            }
            """,
            Enabled);
    }
}
