using CheckpointAudit.CodeFixes.Schema;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class AddSchemaVersionCodeFixTests
{
    private const string Store = """
        using System.IO;
        using System.Text.Json;
        using App;

        class Store
        {
            void Save(string path, Settings s) => File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(s)|});
        }
        """;

    private const string FixedStore = """
        using System.IO;
        using System.Text.Json;
        using App;

        class Store
        {
            void Save(string path, Settings s) => File.WriteAllText(path, JsonSerializer.Serialize(s));
        }
        """;

    [Fact]
    public async Task System_Text_Json_models_get_a_version_stamped_on_serialization()
    {
        var test = Verify.CodeFix<MissingSchemaVersionCheck, AddSchemaVersionCodeFixProvider>(Store, FixedStore);
        test.TestState.Sources.Add(("/0/Settings.cs", """
            namespace App;

            public class Settings
            {
                public string Theme { get; set; } = "";
            }
            """));
        test.FixedState.Sources.Add(("/0/Settings.cs", """
            using System.Text.Json.Serialization;

            namespace App;

            public class Settings : IJsonOnSerializing
            {
                /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                public const int CurrentSchemaVersion = 1;

                /// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref="CurrentSchemaVersion"/> on every save.</summary>
                public int SchemaVersion { get; set; }

                void IJsonOnSerializing.OnSerializing() => SchemaVersion = CurrentSchemaVersion;

                public string Theme { get; set; } = "";
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task Newtonsoft_and_DataContract_models_are_stamped_by_an_OnSerializing_method()
    {
        var test = Verify.CodeFix<MissingSchemaVersionCheck, AddSchemaVersionCodeFixProvider>(
            """
            using System.IO;
            using System.Runtime.Serialization;
            using Newtonsoft.Json;

            public class Settings
            {
                public string Theme { get; set; } = "";
            }

            [DataContract]
            public class Job
            {
                [DataMember] public string Id { get; set; } = "";
            }

            class Store
            {
                void Save(string path, Settings s) => File.WriteAllText(path, {|CKPT101:JsonConvert.SerializeObject(s)|});

                void Save(string path, Job job)
                {
                    using var stream = File.Create(path);
                    {|CKPT101:new DataContractSerializer(typeof(Job)).WriteObject(stream, job)|};
                }
            }
            """,
            """
            using System.IO;
            using System.Runtime.Serialization;
            using Newtonsoft.Json;

            public class Settings
            {
                /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                public const int CurrentSchemaVersion = 1;

                /// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref="CurrentSchemaVersion"/> on every save.</summary>
                public int SchemaVersion { get; set; }

                [OnSerializing]
                private void StampSchemaVersion(StreamingContext context) => SchemaVersion = CurrentSchemaVersion;

                public string Theme { get; set; } = "";
            }

            [DataContract]
            public class Job
            {
                /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                public const int CurrentSchemaVersion = 1;

                /// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref="CurrentSchemaVersion"/> on every save.</summary>
                [DataMember]
                public int SchemaVersion { get; set; }

                [OnSerializing]
                private void StampSchemaVersion(StreamingContext context) => SchemaVersion = CurrentSchemaVersion;

                [DataMember] public string Id { get; set; } = "";
            }

            class Store
            {
                void Save(string path, Settings s) => File.WriteAllText(path, JsonConvert.SerializeObject(s));

                void Save(string path, Job job)
                {
                    using var stream = File.Create(path);
                    new DataContractSerializer(typeof(Job)).WriteObject(stream, job);
                }
            }
            """);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_positional_record_gets_a_body_and_each_model_is_fixed_once()
    {
        var test = Verify.CodeFix<MissingSchemaVersionCheck, AddSchemaVersionCodeFixProvider>(
            """
            using System.IO;
            using System.Text.Json;

            public record Cursor(long Offset);

            class Store
            {
                void Save(string path, Cursor c) => File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(c)|});

                Cursor? Load(string path) => {|CKPT101:JsonSerializer.Deserialize<Cursor>(File.ReadAllText(path))|};
            }
            """,
            """
            using System.IO;
            using System.Text.Json;
            using System.Text.Json.Serialization;

            public record Cursor(long Offset) : IJsonOnSerializing
            {
                /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                public const int CurrentSchemaVersion = 1;

                /// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref="CurrentSchemaVersion"/> on every save.</summary>
                public int SchemaVersion { get; set; }

                void IJsonOnSerializing.OnSerializing() => SchemaVersion = CurrentSchemaVersion;
            }

            class Store
            {
                void Save(string path, Cursor c) => File.WriteAllText(path, JsonSerializer.Serialize(c));

                Cursor? Load(string path) => JsonSerializer.Deserialize<Cursor>(File.ReadAllText(path));
            }
            """);
        test.NumberOfIncrementalIterations = 1;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Not_offered_where_no_stamp_can_be_added()
    {
        var source = """
            using System.IO;
            using System.Runtime.Serialization;
            using System.Text.Json;
            using System.Text.Json.Serialization;
            using System.Xml.Serialization;

            public class XmlModel { public string Name { get; set; } = ""; }
            public struct Point { public int X { get; set; } }
            public class Hooked : IJsonOnSerializing { public void OnSerializing() { } }

            class Store
            {
                // XmlSerializer has no serialization callback to stamp the version with.
                void Save(string path, XmlModel m)
                {
                    using var writer = new StreamWriter(path);
                    {|CKPT101:new XmlSerializer(typeof(XmlModel)).Serialize(writer, m)|};
                }

                void Save(string path, Point p) => File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(p)|});

                void Save(string path, Hooked h) => File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(h)|});
            }
            """;
        var test = Verify.CodeFix<MissingSchemaVersionCheck, AddSchemaVersionCodeFixProvider>(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Every_model_of_a_type_map_gets_its_version()
    {
        var test = Verify.CodeFix<MissingSchemaVersionCheck, AddSchemaVersionCodeFixProvider>(
            """
            using System;
            using System.IO;
            using System.Text.Json;

            public class UploadCheckpoint { }

            public class OcrCheckpoint { }

            public static class Stages
            {
                public static Type TypeOf(int stage) => stage == 1 ? typeof(UploadCheckpoint) : typeof(OcrCheckpoint);

                public static void Save(string path, int stage, object checkpoint)
                    => File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(checkpoint, TypeOf(stage))|});
            }
            """,
            """
            using System;
            using System.IO;
            using System.Text.Json;
            using System.Text.Json.Serialization;

            public class UploadCheckpoint : IJsonOnSerializing
            {
                /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                public const int CurrentSchemaVersion = 1;

                /// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref="CurrentSchemaVersion"/> on every save.</summary>
                public int SchemaVersion { get; set; }

                void IJsonOnSerializing.OnSerializing() => SchemaVersion = CurrentSchemaVersion;
            }

            public class OcrCheckpoint : IJsonOnSerializing
            {
                /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                public const int CurrentSchemaVersion = 1;

                /// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref="CurrentSchemaVersion"/> on every save.</summary>
                public int SchemaVersion { get; set; }

                void IJsonOnSerializing.OnSerializing() => SchemaVersion = CurrentSchemaVersion;
            }

            public static class Stages
            {
                public static Type TypeOf(int stage) => stage == 1 ? typeof(UploadCheckpoint) : typeof(OcrCheckpoint);

                public static void Save(string path, int stage, object checkpoint)
                    => File.WriteAllText(path, JsonSerializer.Serialize(checkpoint, TypeOf(stage)));
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_of_a_referenced_project_is_versioned_in_that_project()
    {
        // Reported at the call in this project; the fix edits the declaration in the project that declares it.
        var test = Verify.CodeFix<MissingSchemaVersionCheck, AddSchemaVersionCodeFixProvider>(Store, FixedStore);
        Verify.WithModelsProject(test, """
            namespace App;

            public class Settings
            {
                public string Theme { get; set; } = "";
            }
            """);
        var models = test.FixedState.AdditionalProjects[Verify.ModelsProject];
        models.AdditionalReferences.AddRange(TestReferences.Net80);
        models.Sources.Add("""
            using System.Text.Json.Serialization;

            namespace App;

            public class Settings : IJsonOnSerializing
            {
                /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                public const int CurrentSchemaVersion = 1;

                /// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref="CurrentSchemaVersion"/> on every save.</summary>
                public int SchemaVersion { get; set; }

                void IJsonOnSerializing.OnSerializing() => SchemaVersion = CurrentSchemaVersion;

                public string Theme { get; set; } = "";
            }
            """);
        test.FixedState.AdditionalProjectReferences.Add(Verify.ModelsProject);
        // The framework expects no Fix All pass when this project's own files do not change: one pass edits the other project.
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
