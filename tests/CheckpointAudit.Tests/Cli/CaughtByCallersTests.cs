using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// A library's loader that throws on a damaged file, called only inside catches by the application (directly or a few
/// callers up), is listed for review: the program tells the user and goes on. A call outside any catch, a catch of
/// another exception, a catch that throws again or ends the program, or a call from a lambda keeps the finding.
/// </summary>
public class CaughtByCallersTests
{
    private const string AppProject = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>"
        + "<ItemGroup><ProjectReference Include=\"../Profiles/Profiles.csproj\" /></ItemGroup></Project>";

    private const string Library = """
        using System.IO;
        using System.Text.Json;

        public class Profile { public int SchemaVersion { get; set; } public string Name { get; set; } = ""; }

        public static class Profiles
        {
            public static Profile? Current { get; private set; }

            public static void Save(string path, Profile profile) => File.WriteAllText(path, JsonSerializer.Serialize(profile));

            public static void Switch(string path) => Load(path);

            public static void Open(string path) => Load(path);

            public static Profile Peek(string path) => Read(path);

            public static Profile Guarded(string path) => Parse(path);

            private static void Load(string path) => Current = Parse(path);

            private static Profile Read(string path) => JsonSerializer.Deserialize<Profile>(File.ReadAllText(path)) ?? new Profile();

            private static Profile Parse(string path) => JsonSerializer.Deserialize<Profile>(File.ReadAllText(path)) ?? new Profile();
        }
        """;

    private const string App = """
        using System;
        using System.IO;
        using System.Text.Json;

        public static class Program
        {
            public static void Main(string[] args)
            {
                try
                {
                    Profiles.Switch(args[0]);
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine("profile could not be loaded: " + e.Message);
                }

                Menu(args[1]);
                Profiles.Open(args[2]);
                Action later = () => Profiles.Peek(args[3]);
                later();
            }

            // Two callers up: the catch is around the call of the method that calls the library.
            private static void Menu(string path)
            {
                try
                {
                    Choose(path);
                }
                catch (JsonException)
                {
                    Console.Error.WriteLine("damaged profile");
                }
            }

            private static void Choose(string path) => Profiles.Switch(path);
        }
        """;

    [Fact]
    public async Task A_loader_whose_every_caller_catches_is_listed_for_review()
    {
        using var folder = new SourceFolder(
            ("src/App/App.csproj", AppProject), ("src/App/Program.cs", App),
            ("src/Profiles/Profiles.csproj", SourceFolder.SdkProject), ("src/Profiles/Profiles.cs", Library));
        var report = await CliRun.ReportAsync(folder.Root);

        // Parse is reached through Switch (caught in both of its callers) and through Open (not caught) and Guarded (not
        // called at all): the finding stays. Read is reached through Peek, which is called from a lambda: it stays.
        var parse = Assert.Single(report.Findings.Concat(report.Suspicious), f => f.RuleId == "CKPT301" && f.Member == "Profiles.Parse");
        Assert.NotEqual("Low", parse.Confidence);
        Assert.Contains(report.Findings, f => f.RuleId == "CKPT301" && f.Member == "Profiles.Read");
    }

    [Fact]
    public async Task Every_exit_caught_in_the_application_lowers_the_finding()
    {
        const string library = """
            using System.IO;
            using System.Text.Json;

            public class Profile { public int SchemaVersion { get; set; } public string Name { get; set; } = ""; }

            public static class Profiles
            {
                public static Profile? Current { get; private set; }

                public static void Save(string path, Profile profile) => File.WriteAllText(path, JsonSerializer.Serialize(profile));

                public static void Switch(string path) => Load(path);

                // Loads again through Switch when the file names another one: a recursion, not another way out.
                private static void Load(string path)
                {
                    Current = JsonSerializer.Deserialize<Profile>(File.ReadAllText(path));
                    if (Current?.Name.EndsWith(".json") == true)
                    {
                        Switch(Current.Name);
                    }
                }
            }
            """;
        const string app = """
            using System;
            using System.Text.Json;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    try
                    {
                        Profiles.Switch(args[0]);
                    }
                    catch (Exception e)
                    {
                        Console.Error.WriteLine("profile could not be loaded: " + e.Message);
                    }

                    Menu(args[1]);
                    Action retry = () =>
                    {
                        try { Profiles.Switch(args[2]); } catch (JsonException) { Console.Error.WriteLine("damaged profile"); }
                    };
                    retry();
                }

                private static void Menu(string path)
                {
                    try
                    {
                        Choose(path);
                    }
                    catch (JsonException)
                    {
                        Console.Error.WriteLine("damaged profile");
                    }
                }

                private static void Choose(string path) => Profiles.Switch(path);
            }
            """;
        using var folder = new SourceFolder(
            ("src/App/App.csproj", AppProject), ("src/App/Program.cs", app),
            ("src/Profiles/Profiles.csproj", SourceFolder.SdkProject), ("src/Profiles/Profiles.cs", library));
        var report = await CliRun.ReportAsync(folder.Root);

        var load = Assert.Single(report.Suspicious, f => f.RuleId == "CKPT301" && f.Member == "Profiles.Load");
        Assert.Equal("every call of 'Profiles.Switch' in the audited code catches the exception ('Program.Main', 'Program.Menu', 'a lambda'): a damaged file fails that load, and the program goes on", load.ConfidenceNote);
    }

    [Theory]
    [InlineData("try { Profiles.Load(args[0]); } catch (IOException) { Console.Error.WriteLine(\"unreadable\"); }")]
    [InlineData("try { Profiles.Load(args[0]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); throw; }")]
    [InlineData("try { Profiles.Load(args[0]); } catch (Exception) { Console.Error.WriteLine(\"cannot start\"); Environment.Exit(1); }")]
    public async Task A_catch_that_throws_again_ends_the_program_or_names_another_exception_keeps_the_finding(string call)
    {
        const string library = """
            using System.IO;
            using System.Text.Json;

            public class Profile { public int SchemaVersion { get; set; } }

            public static class Profiles
            {
                public static void Save(string path, Profile profile) => File.WriteAllText(path, JsonSerializer.Serialize(profile));

                public static Profile? Load(string path) => JsonSerializer.Deserialize<Profile>(File.ReadAllText(path));
            }
            """;
        const string app = """
            using System;
            using System.IO;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    CALL
                }
            }
            """;
        using var folder = new SourceFolder(
            ("src/App/App.csproj", AppProject), ("src/App/Program.cs", app.Replace("CALL", call, StringComparison.Ordinal)),
            ("src/Profiles/Profiles.csproj", SourceFolder.SdkProject), ("src/Profiles/Profiles.cs", library));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Contains(report.Findings, f => f.RuleId == "CKPT301" && f.Member == "Profiles.Load");
    }
}
