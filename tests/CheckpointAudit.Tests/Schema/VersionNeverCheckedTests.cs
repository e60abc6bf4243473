using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class VersionNeverCheckedTests
{
    private static string Program(string body) => $$"""
        using System;
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } public string Theme { get; set; } = ""; }
        public class Job { public int Version { get; set; } }
        public class Plain { public string Name { get; set; } = ""; }

        class Store
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task Flags_loads_whose_version_nobody_compares()
    {
        var editorConfig = "dotnet_diagnostic.CKPT102.severity = warning\n";
        await Verify.AnalyzerAsync<VersionNeverCheckedCheck>(Program("""
                Settings? Load(string path) => {|CKPT102:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                void Show(Settings s) => Console.WriteLine(s.SchemaVersion);

                // Saved but never loaded here; no version; not stored.
                void Save(string path, Job job) => File.WriteAllText(path, JsonSerializer.Serialize(job));
                Plain? LoadPlain(string path) => JsonSerializer.Deserialize<Plain>(File.ReadAllText(path));
                Job? FromText(string json) => JsonSerializer.Deserialize<Job>(json);
            """), editorConfig);
    }

    [Theory]
    [InlineData("bool IsCurrent(Job j) => j.Version == 2;")]
    [InlineData("bool IsOld(Job j) => j.Version < 2;")]
    [InlineData("string Describe(Job j) => j.Version switch { 0 => \"legacy\", _ => \"current\" };")]
    [InlineData("bool IsLegacy(Job j) => j.Version is 0;")]
    [InlineData("void Upgrade(Job j) => Migrate(j.Version);")]
    [InlineData("void Upgrade(Job j) { var v = j.Version; if (v < 2) { } }")]
    public async Task Quiet_when_the_version_is_compared_anywhere(string check)
    {
        var editorConfig = "dotnet_diagnostic.CKPT102.severity = warning\n";
        await Verify.AnalyzerAsync<VersionNeverCheckedCheck>(Program($$"""
                Job? Load(string path) => JsonSerializer.Deserialize<Job>(File.ReadAllText(path));

                void Migrate(int from) { }

                {{check}}
            """), editorConfig);
    }

    private const string StampedProfile = """
        using System.Reflection;

        namespace App.Models;

        /// <summary>Stamped with the release of the program that writes it.</summary>
        public class Profile
        {
            public string AppVersion { get; set; } = Assembly.GetEntryAssembly()!.GetName().Version!.ToString();
            public string Name { get; set; } = "";

            public static bool TryLoad(string path, out Profile profile)
            {
                try
                {
                    profile = System.Text.Json.JsonSerializer.Deserialize<Profile>(System.IO.File.ReadAllText(path))!;
                    return true;
                }
                catch (System.Text.Json.JsonException)
                {
                    profile = new Profile();
                    return false;
                }
            }

            public static Profile Load(string path) => System.Text.Json.JsonSerializer.Deserialize<Profile>(System.IO.File.ReadAllText(path))!;

            public static Profile Defaults() => new Profile();

            // Parses a file but hands out a new instance: not a loader of what is stored.
            public static Profile Import(string path)
            {
                var read = System.Text.Json.JsonSerializer.Deserialize<Profile>(System.IO.File.ReadAllText(path))!;
                return new Profile { Name = read.Name };
            }
        }

        public class Plain
        {
            public string Name { get; set; } = "";

            public static bool TryLoad(string path, out Plain plain)
            {
                plain = System.Text.Json.JsonSerializer.Deserialize<Plain>(System.IO.File.ReadAllText(path))!;
                return true;
            }
        }
        """;

    [Fact]
    public async Task Flags_a_loader_of_another_project_whose_release_stamp_nobody_compares()
    {
        var test = Verify.AnalyzerTest<VersionNeverCheckedCheck>("""
            using App.Models;

            class Daemon
            {
                void Start(string path)
                {
                    if ({|CKPT102:Profile.TryLoad(path, out var profile)|})
                    {
                        Apply(profile);
                    }

                    var again = {|CKPT102:Profile.Load(path)|};
                    Apply(again);

                    // The same loader again: one check is missing, reported once. An import is not a load.
                    Profile.TryLoad(path + ".bak", out var backup);
                    Apply(backup);
                    Apply(Profile.Import(path));

                    // Not loaded from storage; no stamp.
                    Apply(Profile.Defaults());
                    Plain.TryLoad(path, out _);

                    // Kept in a property: whoever compares it may be anywhere, in other projects too.
                    Current = Profile.Load(path);
                    Profile.TryLoad(path, out _held);

                    if ({|CKPT102:TryRead(path, out var read)|})
                    {
                        Apply(read);
                    }
                }

                public static Profile? Current { get; private set; }

                private Profile? _held;

                // A loader of its own that hands the model on: judged at its callers, not at its own parse's call.
                public static bool TryRead(string path, out Profile profile)
                {
                    profile = Read(path);
                    return true;

                    static Profile Read(string file) => System.Text.Json.JsonSerializer.Deserialize<Profile>(System.IO.File.ReadAllText(file))!;
                }

                void Apply(Profile profile) { }
            }
            """);
        Verify.WithModelsProject(test, StampedProfile);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\ndotnet_diagnostic.CKPT102.severity = warning\n"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_when_the_caller_compares_the_release_stamp()
    {
        var test = Verify.AnalyzerTest<VersionNeverCheckedCheck>("""
            using App.Models;

            class Daemon
            {
                void Start(string path)
                {
                    if (Profile.TryLoad(path, out var profile) && profile.AppVersion != "0.7.0.0")
                    {
                        Apply(profile);
                    }
                }

                void Apply(Profile profile) { }
            }
            """);
        Verify.WithModelsProject(test, StampedProfile);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\ndotnet_diagnostic.CKPT102.severity = warning\n"));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_loader_of_this_project_is_reported_once_for_a_version_known_by_name()
    {
        var editorConfig = "dotnet_diagnostic.CKPT102.severity = warning\n";
        await Verify.AnalyzerAsync<VersionNeverCheckedCheck>(Program("""
                Settings? Load(string path) => {|CKPT102:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                void Start(string path) => Console.WriteLine(Load(path)?.Theme);
            """), editorConfig);
    }
}
