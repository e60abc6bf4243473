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
        var test = Verify.CodeFix<MissingSchemaVersionAnalyzer, AddSchemaVersionCodeFixProvider>(Store, FixedStore);
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
}
