using System.Runtime.Loader;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using CheckpointAudit.CodeFixes.Schema;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

/// <summary>
/// CKPT101's fix, applied and then run: data written before the version member existed loads as version 0
/// (recognisably legacy), and data written by the fixed model carries the current version.
/// </summary>
public sealed class LegacyDataAfterFixTests : IDisposable
{
    private readonly AssemblyLoadContext _context = new("fixed-models", isCollectible: true);

    public void Dispose() => _context.Unload();

    [Fact]
    public async Task System_Text_Json_legacy_files_load_as_version_0_and_new_saves_carry_the_current_version()
    {
        var references = AppliedFix.RuntimeReferences();
        var fixedSource = await AppliedFix.ApplyAsync(new Only<MissingSchemaVersionCheck>(), new AddSchemaVersionCodeFixProvider(), """
            using System.IO;
            using System.Text.Json;

            public class Settings
            {
                public string Theme { get; set; } = "";
            }

            public static class Store
            {
                public static void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
            }
            """, [.. TestReferences.Net100]);
        var settings = AppliedFix.Compile(fixedSource, references, _context).GetType("Settings")!;

        var legacy = JsonSerializer.Deserialize("""{"Theme":"dark"}""", settings)!;
        Assert.Equal(0, settings.GetProperty("SchemaVersion")!.GetValue(legacy));
        Assert.Equal("dark", settings.GetProperty("Theme")!.GetValue(legacy));

        var saved = JsonSerializer.Serialize(legacy, settings);
        Assert.Contains("\"SchemaVersion\":1", saved);
        Assert.Equal(1, settings.GetProperty("SchemaVersion")!.GetValue(JsonSerializer.Deserialize(saved, settings)));
        Assert.Equal(1, settings.GetField("CurrentSchemaVersion")!.GetRawConstantValue());
    }

    [Fact]
    public async Task DataContract_legacy_files_load_as_version_0_and_new_saves_carry_the_current_version()
    {
        var references = AppliedFix.RuntimeReferences();
        var fixedSource = await AppliedFix.ApplyAsync(new Only<MissingSchemaVersionCheck>(), new AddSchemaVersionCodeFixProvider(), """
            using System.IO;
            using System.Runtime.Serialization;

            [DataContract(Namespace = "")]
            public class Job
            {
                [DataMember] public string Id { get; set; } = "";
            }

            public static class Store
            {
                public static void Save(string path, Job job)
                {
                    using var stream = File.Create(path);
                    new DataContractSerializer(typeof(Job)).WriteObject(stream, job);
                }
            }
            """, [.. TestReferences.Net100]);
        var job = AppliedFix.Compile(fixedSource, references, _context).GetType("Job")!;
        var serializer = new DataContractSerializer(job);

        var legacy = serializer.ReadObject(new MemoryStream(Encoding.UTF8.GetBytes("<Job><Id>42</Id></Job>")))!;
        Assert.Equal(0, job.GetProperty("SchemaVersion")!.GetValue(legacy));

        var saved = new MemoryStream();
        serializer.WriteObject(saved, legacy);
        Assert.Contains("<SchemaVersion>1</SchemaVersion>", Encoding.UTF8.GetString(saved.ToArray()));
        saved.Position = 0;
        Assert.Equal(1, job.GetProperty("SchemaVersion")!.GetValue(serializer.ReadObject(saved)));
    }
}
