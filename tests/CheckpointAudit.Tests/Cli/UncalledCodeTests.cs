using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// A finding in a method nothing in the audited code calls (directly, or only through other uncalled methods) is
/// listed for review, not scored; methods called by convention, by name or from outside (a library's API) are not.
/// </summary>
public class UncalledCodeTests
{
    private const string Program = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>"
        + "<ItemGroup><ProjectReference Include=\"../Shared/Shared.csproj\" /></ItemGroup></Project>";

    private const string App = """
        using System;
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } public string Theme { get; set; } = ""; }

        public interface ISaver { void SaveVia(Settings s); }

        public class Store : ISaver
        {
            public static void Main()
            {
                var store = new Store();
                store.Save(new Settings());
                Action later = store.SaveLater;
                later();
                CommandHandler.Create<Settings>(store.SaveFromHandler);
                IStoreApi api = new DerivedStore();
                api.SaveThroughBase(new Settings());
                dynamic late = store;
                late.SaveDynamic();
        #if NEVER_DEFINED
                store.SaveInAnotherBuild();
        #endif
            }

            public void Save(Settings s) => File.WriteAllText("settings.json", JsonSerializer.Serialize(s));

            public void SaveLater() => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));

            // Nothing calls these two: the import was never wired up.
            public void EnsureImported() => ImportSettings();

            public void ImportSettings() => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));

            private void SaveUnused(Settings s) => File.WriteAllText("settings.json", JsonSerializer.Serialize(s));

            // Called by convention or by name: an interface, an event handler, reflection, markup.
            public void SaveVia(Settings s) => File.WriteAllText("settings.json", JsonSerializer.Serialize(s));

            private void OnClosing(object sender, EventArgs e) => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));

            public void SaveByReflection() => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));

            public string Named => nameof(SaveByReflection);

            public void SaveFromMarkup() => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));

            // Handed to a library the audit cannot bind: the call does not bind, but names it.
            public void SaveFromHandler(Settings s) => File.WriteAllText("settings.json", JsonSerializer.Serialize(s));

            public void SaveDynamic() => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));

            public void SaveInAnotherBuild() => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));
        }

        // An interface implemented through a base class's method: the call dispatches to BaseStore.SaveThroughBase.
        public interface IStoreApi { void SaveThroughBase(Settings s); }

        public class BaseStore
        {
            public void SaveThroughBase(Settings s) => File.WriteAllText("settings.json", JsonSerializer.Serialize(s));
        }

        public class DerivedStore : BaseStore, IStoreApi
        {
        }
        """;

    private const string Shared = """
        using System.IO;
        using System.Text.Json;

        public class Journal { public int SchemaVersion { get; set; } }

        public static class JournalFiles
        {
            public static void Write(Journal j) => File.WriteAllText("journal.json", JsonSerializer.Serialize(j));
        }
        """;

    private const string Library = """
        using System.IO;
        using System.Text.Json;

        public class Profile { public int SchemaVersion { get; set; } }

        public static class ProfileFiles
        {
            public static void Write(Profile p) => File.WriteAllText("profile.json", JsonSerializer.Serialize(p));
        }
        """;

    [Fact]
    public async Task Findings_in_methods_nothing_calls_are_listed_for_review()
    {
        using var folder = new SourceFolder(
            ("src/App/App.csproj", Program), ("src/App/Store.cs", App),
            ("src/App/MainWindow.xaml", "<Window><Button Click=\"SaveFromMarkup\" /></Window>"),
            ("src/Shared/Shared.csproj", SourceFolder.SdkProject), ("src/Shared/JournalFiles.cs", Shared),
            ("lib/Profiles/Profiles.csproj", SourceFolder.SdkProject), ("lib/Profiles/ProfileFiles.cs", Library));
        var report = await CliRun.ReportAsync(folder.Root);

        string? Review(string member) => Assert.Single(report.Findings.Concat(report.Suspicious), f => f.RuleId == "CKPT201" && f.Member == member).Confidence switch
        {
            "Low" => Assert.Single(report.Suspicious, f => f.RuleId == "CKPT201" && f.Member == member).ConfidenceNote,
            _ => null,
        };

        Assert.Equal("nothing in the audited code calls 'Store.SaveUnused': dead code, or run by reflection or by another program", Review("Store.SaveUnused"));
        Assert.Equal("'Store.ImportSettings' is called only from code nothing calls ('Store.EnsureImported'): dead code, or run by reflection or by another program", Review("Store.ImportSettings"));

        // A library another audited project references: its public methods are counted too.
        Assert.Equal("nothing in the audited code calls 'JournalFiles.Write': dead code, or run by reflection or by another program", Review("JournalFiles.Write"));

        // Live: called, passed as a delegate, implementing an interface, an event handler, named, used from markup,
        // handed to a call that does not bind, called through dynamic, in another build's #if branch, dispatched through an
        // interface, or the public API of a library nothing here references.
        foreach (var live in new[] { "Store.Save", "Store.SaveLater", "Store.SaveVia", "Store.OnClosing", "Store.SaveByReflection", "Store.SaveFromMarkup", "Store.SaveFromHandler", "Store.SaveDynamic", "Store.SaveInAnotherBuild", "BaseStore.SaveThroughBase", "ProfileFiles.Write" })
        {
            Assert.Null(Review(live));
        }
    }

    [Fact]
    public async Task Top_level_statements_call_and_a_published_librarys_api_is_live()
    {
        const string program = """
            using System.IO;
            using System.Text.Json;

            Startup.Run();

            public class Settings { public int SchemaVersion { get; set; } }

            public static class Startup
            {
                public static void Run() => File.WriteAllText("settings.json", JsonSerializer.Serialize(new Settings()));
            }
            """;
        // Package metadata set for the library's folder in a Directory.Build.props.
        const string package = "<Project><PropertyGroup><PackageTags>journal</PackageTags></PropertyGroup></Project>";
        using var folder = new SourceFolder(
            ("src/App/App.csproj", Program), ("src/App/Program.cs", program),
            ("src/Shared/Directory.Build.props", package), ("src/Shared/Shared.csproj", SourceFolder.SdkProject), ("src/Shared/JournalFiles.cs", Shared));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Contains(report.Findings, f => f.RuleId == "CKPT201" && f.Member == "Startup.Run");
        Assert.Contains(report.Findings, f => f.RuleId == "CKPT201" && f.Member == "JournalFiles.Write");
    }

    [Fact]
    public async Task Nothing_is_listed_as_uncalled_beside_a_project_in_another_language()
    {
        // The calls of a project the audit does not read (Visual Basic, F#) are unknown.
        using var folder = new SourceFolder(
            ("src/App/App.csproj", Program), ("src/App/Store.cs", App),
            ("src/Shared/Shared.csproj", SourceFolder.SdkProject), ("src/Shared/JournalFiles.cs", Shared),
            ("src/Tools/Tools.vbproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />"));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.DoesNotContain(report.Suspicious, f => f.ConfidenceNote?.Contains("nothing calls", StringComparison.Ordinal) == true
            || f.ConfidenceNote?.Contains("nothing in the audited code calls", StringComparison.Ordinal) == true);
        Assert.Contains(report.Findings, f => f.RuleId == "CKPT201" && f.Member == "Store.SaveUnused");
    }
}
