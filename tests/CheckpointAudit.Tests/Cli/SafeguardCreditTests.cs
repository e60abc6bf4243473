using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// The score credits safeguards the code really has (previous versions kept, a versioned database schema) and never
/// false ones: a hash that names a cache file, or one computed in migration code, is not a checksum over stored data.
/// </summary>
public class SafeguardCreditTests
{
    private const string Project = SourceFolder.SdkProject;

    // The same in-place settings write in every product; what differs is what else the code does.
    private const string SettingsStore = """
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } }

        public class SettingsStore
        {
            private readonly string _path = "settings.json";

            public Settings Load() => JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path))!;

            public void Save(Settings settings) => File.WriteAllText(_path, JsonSerializer.Serialize(settings));
        }
        """;

    private const string Backups = """
        using System.IO;

        public static class Backups
        {
            public static void Keep(string path) => File.Copy(path, path + ".bak", overwrite: true);

            public static void Restore(string path)
            {
                var backup = path + ".bak";
                File.Copy(backup, path, overwrite: true);
            }
        }
        """;

    // Written before the save and deleted after it: nothing ever reads it, so it recovers nothing.
    private const string ThrowawayBackup = """
        using System.IO;

        public static class Saver
        {
            public static void Save(string path, string text)
            {
                File.Copy(path, path + ".bak", overwrite: true);
                File.WriteAllText(path, text);
                File.Delete(path + ".bak");
            }
        }
        """;

    // EF Core is not referenced: the base type does not resolve, as in a checkout whose packages are not restored.
    private const string Migration = """
        using Microsoft.EntityFrameworkCore.Migrations;

        public partial class AddSettingsTable : Migration
        {
        }
        """;

    private const string HashNames = """
        using System;
        using System.IO;
        using System.Security.Cryptography;
        using System.Text;

        public class ThumbnailCache
        {
            private readonly string _folder = "thumbs";

            public string PathFor(string source)
            {
                var name = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(source)));
                return Path.Combine(_folder, name + ".png");
            }

            public void Store(string source, byte[] image) => File.WriteAllBytes(Path.Combine(_folder, new Guid(MD5.HashData(Encoding.UTF8.GetBytes(source))) + ".png"), image);
        }

        public class CacheMigration
        {
            public byte[] Digest(string path) => SHA256.HashData(File.ReadAllBytes(path));
        }
        """;

    [Fact]
    public async Task Previous_versions_and_a_versioned_database_schema_are_credited()
    {
        using var plain = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore));
        using var careful = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Backups.cs", Backups), ("App/Migration.cs", Migration));

        var before = await CliRun.ReportAsync(plain.Root);
        var after = await CliRun.ReportAsync(careful.Root);

        Assert.DoesNotContain(before.Score.Justification, j => j.StartsWith("Credit for", StringComparison.Ordinal));
        Assert.Contains("Credit for previous versions kept (keeps a backup copy (\".bak\")): +1.", after.Score.Justification);
        Assert.Contains("Credit for versioned database schema (EF Core migration 'AddSettingsTable'): +1.", after.Score.Justification);
        Assert.Equal(-2.0, after.Score.Deductions.Where(d => d.Points < 0).Sum(d => d.Points));
        // The backup is also a recovery path, so "no recovery path" (0.5) goes too.
        Assert.Equal(before.Score.Value + 3, after.Score.Value);
    }

    // A ".bak" the program only reads: a page template shipped beside the app (ASP.NET's app_offline.bak), not a copy it keeps.
    private const string OfflineTemplate = """
        using System.IO;

        public static class Maintenance
        {
            public static void TakeOffline(string root)
                => File.WriteAllText(Path.Combine(root, "app_offline.htm"), File.ReadAllText(Path.Combine(root, "app_offline.bak")));
        }
        """;

    [Fact]
    public async Task A_bak_file_the_program_only_reads_earns_no_credit()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Maintenance.cs", OfflineTemplate));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.DoesNotContain(report.Score.Justification, j => j.StartsWith("Credit for previous versions kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_backup_nothing_reads_back_earns_no_credit()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Saver.cs", ThrowawayBackup));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.DoesNotContain(report.Score.Justification, j => j.StartsWith("Credit for previous versions kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_schema_version_kept_in_a_table_of_its_own_is_a_versioned_database_schema()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Upgrader.cs", """
            public static class Upgrader
            {
                public const string CurrentVersion = @"
                    SELECT max(Version)
                    FROM Version";
            }
            """));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Contains("Credit for versioned database schema (the database records its schema version (table Version)): +1.", report.Score.Justification);
    }

    [Fact]
    public async Task A_hash_that_names_a_file_or_runs_in_migration_code_is_no_checksum()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Cache.cs", HashNames));
        var report = await CliRun.ReportAsync(folder.Root);

        var recovery = Assert.Single(report.Environment, e => e.Topic == "Error-recovery mechanisms");
        Assert.DoesNotContain(recovery.Details, d => d.Contains("beside stored data", StringComparison.Ordinal));
        Assert.Contains(report.Score.Deductions, d => d.Reason == "systemic: no checksum or verified load over stored data");
    }

    /// <summary>A hash nothing compares or stores: a key derived from a machine ID, a digest shown to the user.</summary>
    private const string HashesNotChecked = """
        using System;
        using System.IO;
        using System.Security.Cryptography;
        using System.Text;

        public class Secrets
        {
            private readonly string _key;

            public Secrets() => _key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)));

            public string Protect(string path) => File.ReadAllText(path) + _key;

            public static string Digest(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        """;

    /// <summary>A checksum written beside the data and compared when it is read back.</summary>
    private const string ChecksummedStore = """
        using System;
        using System.IO;
        using System.Security.Cryptography;

        public class Snapshots
        {
            public void Save(string path, byte[] data)
            {
                File.WriteAllBytes(path, data);
                File.WriteAllText(path + ".sha256", Convert.ToHexString(SHA256.HashData(data)));
            }

            public byte[] Load(string path)
            {
                var data = File.ReadAllBytes(path);
                var actual = Convert.ToHexString(SHA256.HashData(data));
                if (actual != File.ReadAllText(path + ".sha256"))
                {
                    throw new InvalidDataException("checksum mismatch");
                }

                return data;
            }
        }
        """;

    /// <summary>A checksum only written beside the data; a helper whose result a caller compares.</summary>
    private const string StoredOrHelperChecksums = """
        using System;
        using System.IO;
        using System.Security.Cryptography;

        public class Archive
        {
            public void Save(string path, byte[] data)
            {
                File.WriteAllBytes(path, data);
                File.WriteAllText(path + ".sha256", Convert.ToHexString(SHA256.HashData(data)));
            }
        }

        public class Verifier
        {
            private static string Digest(string path) => Convert.ToHexString(SHA512.HashData(File.ReadAllBytes(path)));

            public bool Check(string path, string expected) => Digest(path) == expected;
        }
        """;

    [Fact]
    public async Task A_checksum_only_stored_or_compared_by_the_caller_of_a_helper_is_credited()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Archive.cs", StoredOrHelperChecksums));
        var report = await CliRun.ReportAsync(folder.Root);

        var recovery = Assert.Single(report.Environment, e => e.Topic == "Error-recovery mechanisms");
        Assert.Contains(recovery.Details, d => d.Contains("SHA256.HashData beside stored data", StringComparison.Ordinal));
        Assert.Contains(recovery.Details, d => d.Contains("SHA512.HashData beside stored data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hash_nothing_compares_or_stores_is_no_checksum()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Secrets.cs", HashesNotChecked));
        var report = await CliRun.ReportAsync(folder.Root);

        var recovery = Assert.Single(report.Environment, e => e.Topic == "Error-recovery mechanisms");
        Assert.DoesNotContain(recovery.Details, d => d.Contains("beside stored data", StringComparison.Ordinal));
        Assert.Contains(report.Score.Deductions, d => d.Reason == "systemic: no checksum or verified load over stored data");
    }

    [Fact]
    public async Task A_checksum_stored_beside_the_data_and_compared_on_load_is_credited()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/SettingsStore.cs", SettingsStore), ("App/Snapshots.cs", ChecksummedStore));
        var report = await CliRun.ReportAsync(folder.Root);

        var recovery = Assert.Single(report.Environment, e => e.Topic == "Error-recovery mechanisms");
        Assert.Contains(recovery.Details, d => d.Contains("SHA256.HashData beside stored data", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Score.Deductions, d => d.Reason == "systemic: no checksum or verified load over stored data");
    }
}
