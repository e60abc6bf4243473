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
    public async Task A_loader_with_one_uncaught_way_out_keeps_the_finding()
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

    // Called through an interface in one variant below.
    private const string Opener = "public interface IOpener { void Open(string path); } public class Opener : IOpener { public void Open(string path) => Profiles.Load(path); }";

    [Theory]
    [InlineData("try { Profiles.Load(args[0]); } catch (IOException) { Console.Error.WriteLine(\"unreadable\"); } try { Profiles.Peek(args[5]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); }")]
    // Called through an interface: the implementation's own callers are not known.
    [InlineData("IOpener opener = new Opener(); opener.Open(args[0]); try { new Opener().Open(args[1]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); } try { Profiles.Peek(args[5]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); }")]
    // Called by Main itself, outside any catch, beside a caught call through a public method.
    [InlineData("Profiles.Peek(args[0]); try { Profiles.Load(args[1]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); }")]
    [InlineData("try { Profiles.Load(args[0]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); throw; } try { Profiles.Peek(args[5]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); }")]
    [InlineData("try { Profiles.Load(args[0]); } catch (Exception) { Console.Error.WriteLine(\"cannot start\"); Environment.Exit(1); } try { Profiles.Peek(args[5]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); }")]
    // The control: with every call caught, the same library's finding is listed for review.
    [InlineData("try { Profiles.Load(args[0]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); } try { Profiles.Peek(args[5]); } catch (Exception) { Console.Error.WriteLine(\"failed\"); }", true)]
    public async Task A_catch_that_throws_again_ends_the_program_or_names_another_exception_keeps_the_finding(string call, bool caught = false)
    {
        const string library = """
            using System.IO;
            using System.Text.Json;

            public class Profile { public int SchemaVersion { get; set; } }

            public static class Profiles
            {
                public static void Save(string path, Profile profile) => File.WriteAllText(path, JsonSerializer.Serialize(profile));

                public static Profile? Load(string path) => Parse(path);

                public static Profile? Peek(string path) => Parse(path);

                private static Profile? Parse(string path) => JsonSerializer.Deserialize<Profile>(File.ReadAllText(path));
            }
            """;
        const string app = """
            using System;
            using System.IO;

            TYPES

            public static class Program
            {
                public static void Main(string[] args)
                {
                    CALL
                }
            }
            """;
        using var folder = new SourceFolder(
            ("src/App/App.csproj", AppProject), ("src/App/Program.cs", app.Replace("CALL", call, StringComparison.Ordinal).Replace("TYPES", call.Contains("Opener", StringComparison.Ordinal) ? Opener : "", StringComparison.Ordinal)),
            ("src/Profiles/Profiles.csproj", SourceFolder.SdkProject), ("src/Profiles/Profiles.cs", library));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Equal(caught, report.Suspicious.Any(f => f.RuleId == "CKPT301" && f.Member == "Profiles.Parse"));
        Assert.Equal(!caught, report.Findings.Any(f => f.RuleId == "CKPT301" && f.Member == "Profiles.Parse"));
    }

    [Fact]
    public async Task A_catch_of_one_newtonsoft_exception_does_not_handle_the_other()
    {
        // Garbled text throws JsonReaderException, a cut-off object JsonSerializationException: only their base handles both.
        const string library = """
            using System.IO;
            using Newtonsoft.Json;

            public class Profile { public int SchemaVersion { get; set; } }

            public static class Profiles
            {
                public static void Save(string path, Profile profile) => File.WriteAllText(path, JsonConvert.SerializeObject(profile));

                public static Profile? Load(string path) => JsonConvert.DeserializeObject<Profile>(File.ReadAllText(path));
            }
            """;
        const string app = """
            using System;
            using Newtonsoft.Json;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    try { Profiles.Load(args[0]); } catch (JsonReaderException) { Console.Error.WriteLine("garbled"); }
                }
            }
            """;
        const string newtonsoft = "<ItemGroup><PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" /></ItemGroup></Project>";
        using var folder = new SourceFolder(
            ("src/App/App.csproj", AppProject.Replace("</Project>", newtonsoft, StringComparison.Ordinal)), ("src/App/Program.cs", app),
            ("src/Profiles/Profiles.csproj", SourceFolder.SdkProject.Replace("</Project>", newtonsoft, StringComparison.Ordinal)), ("src/Profiles/Profiles.cs", library));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Contains(report.Findings, f => f.RuleId == "CKPT301" && f.Member == "Profiles.Load");
    }
}
