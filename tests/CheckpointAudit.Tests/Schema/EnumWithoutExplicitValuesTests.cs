using CheckpointAudit.Checks;
using CheckpointAudit.CodeFixes.Schema;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class EnumWithoutExplicitValuesTests
{
    private static string Program(string models, string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Runtime.Serialization;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Xml.Serialization;

        {{models}}

        class Store
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task An_enum_only_loaded_is_for_review()
    {
        // A response another program writes (read from its file here, never saved): its numbering is that program's.
        var source = Program("""
            public enum Tier { Free, Pro }
            public enum Theme { Light, Dark }
            public class License { public Tier Tier { get; set; } }
            public class Settings { public int SchemaVersion { get; set; } public Theme Theme { get; set; } }
            """, """
                License? Read(string path) => JsonSerializer.Deserialize<License>(File.ReadAllText(path));
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
            """);
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new SchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var tier = Assert.Single(diagnostics, d => d.Id == "CKPT105" && d.GetMessage().Contains("'Tier'"));
        Assert.Equal((DataHeld.Unclassified, "'Tier' is only loaded in this project, never saved: it may be another program's or a person's format rather than this program's state"), DataHeldDiagnostic.Read(tier));
        var theme = Assert.Single(diagnostics, d => d.Id == "CKPT105" && d.GetMessage().Contains("'Theme'"));
        Assert.Equal((DataHeld.Unclassified, string.Empty), DataHeldDiagnostic.Read(theme));
    }

    [Fact]
    public async Task Flags_enums_reached_from_models_saved_or_loaded_as_json()
    {
        await Verify.AnalyzerAsync<EnumWithoutExplicitValuesCheck>(Program("""
            public enum {|CKPT105:Kind|} { Heading, Paragraph, Table }
            public enum {|CKPT105:Level|} { Low, High = 5, Critical }
            public enum {|CKPT105:Shape|} { Box, Circle }
            public enum Unused { A, B }
            public class Element { public Kind Kind { get; set; } public Level? Level { get; set; } }
            public class Page { public List<Element> Elements { get; set; } = new(); public Dictionary<string, Shape[]> Shapes { get; set; } = new(); }
            public class Document { public int SchemaVersion { get; set; } public Page[] Pages { get; set; } = []; }
            """, """
                void Save(string path, Document document) => File.WriteAllText(path, JsonSerializer.Serialize(document));
            """));
    }

    [Fact]
    public async Task Quiet_for_explicit_values_names_and_unpersisted_enums()
    {
        await Verify.AnalyzerAsync<EnumWithoutExplicitValuesCheck>(Program("""
            public enum Explicit { A = 0, B = 1, C = 2 }
            [JsonConverter(typeof(TolerantConverter))] public enum ByName { A, B }
            public enum ByNameOnMember { A, B }
            public sealed class TolerantConverter : JsonConverter<ByName>
            {
                public override ByName Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Enum.TryParse<ByName>(reader.GetString(), out var value) ? value : ByName.A;
                public override void Write(Utf8JsonWriter writer, ByName value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }
            public sealed class TolerantMemberConverter : JsonConverter<ByNameOnMember>
            {
                public override ByNameOnMember Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Enum.TryParse<ByNameOnMember>(reader.GetString(), out var value) ? value : ByNameOnMember.A;
                public override void Write(Utf8JsonWriter writer, ByNameOnMember value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }
            public enum Single { Only }
            public enum Ignored { A, B }
            public enum XmlOnly { A, B }
            public enum OnlySent { A, B }
            public class Model
            {
                public Explicit Explicit { get; set; }
                public ByName ByName { get; set; }
                [JsonConverter(typeof(TolerantMemberConverter))] public ByNameOnMember Member { get; set; }
                public Single Single { get; set; }
                [JsonIgnore] public Ignored Ignored { get; set; }
                private OnlySent Hidden { get; set; }
            }
            public class XmlModel { public XmlOnly Value { get; set; } }
            public class Message { public OnlySent Value { get; set; } }
            """, """
                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model));

                // XmlSerializer stores enum names.
                void Save(string path, XmlModel model)
                {
                    using var writer = new StreamWriter(path);
                    new XmlSerializer(typeof(XmlModel)).Serialize(writer, model);
                }

                // Not stored.
                string Send(Message message) => JsonSerializer.Serialize(message);
            """));
    }

    [Fact]
    public async Task Enums_stored_by_name_with_a_built_in_converter_cannot_meet_an_unknown_name()
    {
        var test = Verify.AnalyzerTest<EnumWithoutExplicitValuesCheck>(Program("""
            [JsonConverter(typeof(JsonStringEnumConverter))] public enum {|#0:Kind|} { A, B }
            public enum {|#1:Level|} { Low = 0, High = 1 }
            public class Model { public Kind Kind { get; set; } [JsonConverter(typeof(JsonStringEnumConverter<Level>))] public Level Level { get; set; } }
            """, """
                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model));
            """));
        var rule = CheckpointAudit.Catalog.RuleCatalog.EnumWithoutExplicitValues.Descriptor;
        test.ExpectedDiagnostics.Add(new DiagnosticResult(rule).WithLocation(0).WithArguments(
            "'Kind' is stored by name in persisted 'Model.Kind' with JsonStringEnumConverter, which fails the whole load on a name it does not know: data written by a build that added or renamed a member cannot be read"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(rule).WithLocation(1).WithArguments(
            "'Level' is stored by name in persisted 'Model.Level' with JsonStringEnumConverter, which fails the whole load on a name it does not know: data written by a build that added or renamed a member cannot be read"));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_converter_of_the_project_that_reads_names_with_Enum_Parse_fails_on_an_unknown_name()
    {
        var test = Verify.AnalyzerTest<EnumWithoutExplicitValuesCheck>(Program("""
            public sealed class NameConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
            {
                public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                {
                    var name = reader.GetString();
                    return string.IsNullOrEmpty(name) ? default : {|#0:Enum.Parse<TEnum>(name)|};
                }

                public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            // Quiet: unknown names fall back to a default.
            public sealed class TolerantConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
            {
                public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                    => Enum.TryParse<TEnum>(reader.GetString(), out var value) ? value : default;

                public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            // Quiet: Enum.Parse under a catch that keeps the ArgumentException.
            public sealed class CatchingConverter : JsonConverter<Shade>
            {
                public override Shade Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                {
                    try { return Enum.Parse<Shade>(reader.GetString()!); }
                    catch (ArgumentException) { return Shade.Light; }
                }

                public override void Write(Utf8JsonWriter writer, Shade value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            // Quiet: the name is checked before it is parsed.
            public sealed class CheckedConverter : JsonConverter<Level>
            {
                public override Level Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                    => reader.GetString() is { } name && Enum.IsDefined(typeof(Level), name) ? (Level)Enum.Parse(typeof(Level), name) : Level.Low;

                public override void Write(Utf8JsonWriter writer, Level value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            // Quiet: a converter no enum or member names.
            public sealed class UnusedConverter : JsonConverter<Shade>
            {
                public override Shade Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Enum.Parse<Shade>(reader.GetString()!);
                public override void Write(Utf8JsonWriter writer, Shade value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            [JsonConverter(typeof(NameConverter<Kind>))] public enum Kind { A, B }
            [JsonConverter(typeof(TolerantConverter<Level>))] public enum Level { Low, High }
            public enum Shade { Light, Dark }
            [JsonConverter(typeof(NameConverter<Mood>))] public enum Mood { Calm, Busy }
            public class Model { public Kind Kind { get; set; } public Level Level { get; set; } [JsonConverter(typeof(CatchingConverter))] public Shade Shade { get; set; } [JsonConverter(typeof(CheckedConverter))] public Level Checked { get; set; } }

            // Quiet: a request body never saved; its enum's converter throws on unknown names, but no stored data is read.
            public class Request { public Mood Mood { get; set; } }
            """, """
                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model));

                Request Parse(string body) => JsonSerializer.Deserialize<Request>(body)!;
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(CheckpointAudit.Catalog.RuleCatalog.EnumWithoutExplicitValues.Descriptor).WithLocation(0).WithArguments(
            "'Kind' is stored by name in persisted 'Model.Kind' with NameConverter, whose Read parses the name with Enum.Parse: a name it does not know fails the whole load (and the ArgumentException escapes a catch of JsonException), so data written by a build that added or renamed a member cannot be read"));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_global_string_converter_stores_every_enum_by_name()
    {
        await Verify.AnalyzerAsync<EnumWithoutExplicitValuesCheck>(Program("""
            public enum Kind { A, B }
            public class Model { public Kind Kind { get; set; } }
            """, """
                static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model, Options));
            """));
    }

    [Fact]
    public async Task Opted_in_models_count_as_roots()
    {
        await Verify.AnalyzerAsync<EnumWithoutExplicitValuesCheck>(Program("""
            [AttributeUsage(AttributeTargets.Class)] public sealed class PersistedAttribute : Attribute { }
            public enum {|CKPT105:State|} { Queued, Running, Done }
            [Persisted] public class Job { public State State { get; set; } }
            """, ""));
    }

    [Fact]
    public async Task Models_listed_in_persisted_types_count_as_roots_nested_ones_included()
    {
        // No attribute named in the file: the option alone opts the types in.
        await Verify.AnalyzerAsync<EnumWithoutExplicitValuesCheck>(
            Program("""
                public enum {|CKPT105:Stage|} { Parse, Index, Publish }
                public enum Color { Red, Green }
                public class Outer { public class ImportCursor { public Stage Stage { get; set; } } }
                public class Palette { public Color Color { get; set; } }
                """, ""),
            "checkpoint_audit.persisted_types = *Cursor\n");
    }

    [Fact]
    public async Task Fix_writes_todays_values_and_fix_all_covers_every_enum()
    {
        var test = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ExplicitEnumValuesCodeFixProvider>(
            Program("""
                public enum {|CKPT105:Kind|}
                {
                    // The first kind.
                    Heading,
                    Paragraph, // inline comment
                    Table,
                }
                public enum {|CKPT105:Level|} : byte { Low, High = 5, Critical }
                public class Element { public Kind Kind { get; set; } public Level Level { get; set; } }
                """, """
                    void Save(string path, Element element) => File.WriteAllText(path, JsonSerializer.Serialize(element));
                """),
            Program("""
                public enum Kind
                {
                    // The first kind.
                    Heading = 0,
                    Paragraph = 1, // inline comment
                    Table = 2,
                }
                public enum Level : byte { Low = 0, High = 5, Critical = 6 }
                public class Element { public Kind Kind { get; set; } public Level Level { get; set; } }
                """, """
                    void Save(string path, Element element) => File.WriteAllText(path, JsonSerializer.Serialize(element));
                """));
        // A compilation-end diagnostic: the IDE offers its fix under full-solution analysis.
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_enums_stored_by_name()
    {
        var source = Program("""
            [JsonConverter(typeof(JsonStringEnumConverter))] public enum {|CKPT105:Kind|} { A, B }
            public class Model { public Kind Kind { get; set; } }
            """, """
                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model));
            """);
        var test = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ExplicitEnumValuesCodeFixProvider>(source, source);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task An_enum_of_a_referenced_project_is_reported_at_the_serializer_call()
    {
        // In a solution and in the IDE a referenced project's types keep their source declarations, in the other
        // project's compilation: the finding goes where this project saves or loads the model, and names the enum.
        var test = Verify.AnalyzerTest<EnumWithoutExplicitValuesCheck>(Program(
            "public class Local { public Models.Level Level { get; set; } }",
            """
                void Save(string path, Models.Job job) => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(job)|});

                Local? Load(string path) => {|#1:JsonSerializer.Deserialize<Local>(File.ReadAllText(path))|};

                // A second save of the same model: one finding per enum.
                void SaveAgain(string path, Models.Job job) => File.WriteAllText(path, JsonSerializer.Serialize(job));
            """));
        Verify.WithModelsProject(test, """
            namespace Models;

            public enum State { Queued, Running, Done }
            public enum Level { Low, High }
            public class Job { public State State { get; set; } }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT105", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithMessage("'State' is stored as a number in persisted 'Job.State', and 3 of its members have no explicit value: adding, removing or reordering a member silently changes the meaning of stored data"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT105", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(1)
            .WithMessage("'Level' is stored as a number in persisted 'Local.Level', and 2 of its members have no explicit value: adding, removing or reordering a member silently changes the meaning of stored data"));
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_and_no_failure_for_an_enum_of_a_referenced_project()
    {
        var source = Program(string.Empty, """
                void Save(string path, Models.Job job) => File.WriteAllText(path, {|CKPT105:JsonSerializer.Serialize(job)|});
            """);
        var test = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ExplicitEnumValuesCodeFixProvider>(source, source);
        Verify.WithModelsProject(test, """
            namespace Models;

            public enum State { Queued, Running, Done }
            public class Job { public State State { get; set; } }
            """);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Second_fix_points_the_members_converter_at_one_that_reads_unknown_names_as_the_default()
    {
        // The finding is at the enum; the attribute is on the member (and on a sibling storing the same enum).
        var before = Program("""
            public enum {|CKPT105:Theme|} { Light, Dark }
            public class Settings
            {
                [JsonConverter(typeof(JsonStringEnumConverter))] public Theme Theme { get; set; }
                [JsonConverter(typeof(JsonStringEnumConverter))] public Theme? Previous { get; set; }
                [JsonConverter(typeof(JsonStringEnumConverter<DayOfWeek>))] public DayOfWeek Day { get; set; }
            }
            """, """
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
            """);
        var after = Program("""
            public enum Theme { Light, Dark }
            public class Settings
            {
                [JsonConverter(typeof(TolerantStringEnumConverter))] public Theme Theme { get; set; }
                [JsonConverter(typeof(TolerantStringEnumConverter))] public Theme? Previous { get; set; }
                [JsonConverter(typeof(JsonStringEnumConverter<DayOfWeek>))] public DayOfWeek Day { get; set; }
            }
            """, """
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
            """).Replace("using System.Xml.Serialization;\n", "using System.Xml.Serialization;\nusing CheckpointAudit;\n");
        var test = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ReadUnknownNamesAsDefaultCodeFixProvider>(before, after);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }

    [Fact]
    public async Task Second_fix_edits_the_member_in_the_referenced_project_that_declares_it()
    {
        var source = Program(string.Empty, """
                void Save(string path, Models.Settings settings) => File.WriteAllText(path, {|CKPT105:JsonSerializer.Serialize(settings)|});
            """);
        var test = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ReadUnknownNamesAsDefaultCodeFixProvider>(source, source.Replace("{|CKPT105:", string.Empty).Replace("|}", string.Empty));
        Verify.WithModelsProject(test, """
            using System.Text.Json.Serialization;

            namespace Models;

            public enum Theme { Light, Dark }

            public class Settings
            {
                [JsonConverter(typeof(JsonStringEnumConverter))] public Theme Theme { get; set; }
            }
            """);
        test.TestState.AdditionalProjects[Verify.ModelsProject].Sources.Add((Verify.HelperPath.Replace("/0/", "/Models/"), Verify.HelperSourceNet80));
        var models = test.FixedState.AdditionalProjects[Verify.ModelsProject];
        models.AdditionalReferences.AddRange(TestReferences.Net80);
        models.Sources.Add("""
            using System.Text.Json.Serialization;
            using CheckpointAudit;

            namespace Models;

            public enum Theme { Light, Dark }

            public class Settings
            {
                [JsonConverter(typeof(TolerantStringEnumConverter))] public Theme Theme { get; set; }
            }
            """);
        models.Sources.Add((Verify.HelperPath.Replace("/0/", "/Models/"), Verify.HelperSourceNet80));
        test.FixedState.AdditionalProjectReferences.Add(Verify.ModelsProject);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_second_fix_for_a_converter_named_on_the_enum()
    {
        // There it also converts the enum as a dictionary key, which the tolerant converter does not do.
        var source = Program("""
            [JsonConverter(typeof(JsonStringEnumConverter))] public enum {|CKPT105:Kind|} { A, B }
            public class Model { public Kind Kind { get; set; } public Dictionary<Kind, int> Counts { get; set; } = new(); }
            """, """
                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model));
            """);
        var test = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ReadUnknownNamesAsDefaultCodeFixProvider>(source, source);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_second_fix_for_newtonsoft_the_generic_converter_or_without_the_helper()
    {
        var source = Program("""
            public enum {|CKPT105:Level|} { Low, High }
            public enum {|CKPT105:Kind|} { A, B }
            public class Model
            {
                [JsonConverter(typeof(JsonStringEnumConverter<Level>))] public Level Level { get; set; }
                [Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))] public Kind Kind { get; set; }
            }
            """, """
                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model));
                void SaveOther(string path, Model model) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(model));
            """);
        var test = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ReadUnknownNamesAsDefaultCodeFixProvider>(source, source);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();

        var noHelper = Program("""
            [JsonConverter(typeof(JsonStringEnumConverter))] public enum {|CKPT105:Kind|} { A, B }
            public class Model { public Kind Kind { get; set; } }
            """, """
                void Save(string path, Model model) => File.WriteAllText(path, JsonSerializer.Serialize(model));
            """);
        var without = Verify.CodeFix<EnumWithoutExplicitValuesCheck, ReadUnknownNamesAsDefaultCodeFixProvider>(noHelper, noHelper, withHelper: false);
        without.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        without.FixedState.MarkupHandling = MarkupMode.Allow;
        await without.RunAsync();
    }
}
