using CheckpointAudit.Models;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Models;

public class LooselyTypedMemberTests
{
    private static string Program(string models, string body) => StoreProgram.Of(models, body);

    private const string SaveSettings = """
            void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
        """;

    [Fact]
    public async Task Flags_object_and_dynamic_members_of_stored_models()
    {
        await Verify.AnalyzerAsync<LooselyTypedMemberCheck>(Program("""
            public class Settings
            {
                public object? {|CKPT805:Value|} { get; set; }
                public dynamic? {|CKPT805:Extra|} { get; set; }
                public Dictionary<string, object> {|CKPT805:Bag|} { get; set; } = new();
                public List<object> {|CKPT805:Items|} { get; set; } = new();
                public string Name { get; set; } = "";
                public JsonElement Raw { get; set; }              // kept as JSON by System.Text.Json
            }
            """, SaveSettings));
    }

    [Fact]
    public async Task Flags_System_Text_Json_elements_on_Newtonsoft_models_and_stays_quiet_for_unstored_ones()
    {
        var test = Verify.AnalyzerTest<LooselyTypedMemberCheck>(Program("""
            public class Settings { public JsonElement {|CKPT805:Raw|} { get; set; } public string Name { get; set; } = ""; }
            public class Request { public object? Value { get; set; } }
            """, """
                void Save(string path, Settings settings) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(settings));
                Request? FromBody(string body) => JsonSerializer.Deserialize<Request>(body);
            """));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public void Evidence_an_object_member_does_not_come_back_as_what_was_stored()
    {
        const string Model = "public class Settings { public object? Value { get; set; } = 42; public int Count { get; set; } }";
        Assert.Equal(["Value"], RoundTrip.LostMembers(Model, "Settings", JsonLibrary.SystemTextJson));   // a JsonElement
        Assert.Equal(["Value"], RoundTrip.LostMembers(Model, "Settings", JsonLibrary.Newtonsoft));       // a long
        Assert.Empty(RoundTrip.LostMembers(Model.Replace("object? Value", "int Value"), "Settings", JsonLibrary.SystemTextJson));
    }
}
