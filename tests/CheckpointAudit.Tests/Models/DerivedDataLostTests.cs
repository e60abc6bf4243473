using System.Collections;
using CheckpointAudit.CodeFixes.Models;
using CheckpointAudit.Models;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Models;

public class DerivedDataLostTests
{
    private static string Program(string models, string body = SaveDrawing) => StoreProgram.Of(models, body, "System.Text.Json.Serialization");

    private const string SaveDrawing = """
            void Save(string path, Drawing drawing) => File.WriteAllText(path, JsonSerializer.Serialize(drawing));
        """;

    [Fact]
    public async Task Flags_base_types_stored_through_members_when_derived_types_exist()
    {
        await Verify.AnalyzerAsync<DerivedDataLostCheck>(Program("""
            public class Drawing
            {
                public List<Shape> Shapes { get; set; } = new();
                public ILabel? Label { get; set; }
                public Style Style { get; set; } = new();
            }
            public abstract class {|CKPT802:Shape|} { public string Id { get; set; } = ""; }
            public sealed class Circle : Shape { public double Radius { get; set; } }
            public sealed class Square : Shape { public double Side { get; set; } }
            public interface {|CKPT802:ILabel|} { string Text { get; } }
            public sealed class Caption : ILabel { public string Text { get; set; } = ""; public int Size { get; set; } }
            public class {|CKPT802:Style|} { public string Color { get; set; } = ""; }
            public class BoldStyle : Style { public int Weight { get; set; } }
            """));
    }

    [Fact]
    public async Task Flags_saves_that_write_an_object_as_its_base_type()
    {
        await Verify.AnalyzerAsync<DerivedDataLostCheck>(Program("""
            public class Drawing { public string Name { get; set; } = ""; }
            public class Job
            {
                public string Id { get; set; } = "";
                public void Save(string path) => File.WriteAllText(path, {|CKPT802:JsonSerializer.Serialize(this)|});
                public string Describe() => {|CKPT802:JsonSerializer.Serialize(this)|};   // wherever the text goes
            }
            public sealed class ExportJob : Job { public string Target { get; set; } = ""; }
            public interface ITask { string Name { get; } }
            public sealed class CopyTask : ITask { public string Name { get; set; } = ""; public string From { get; set; } = ""; }
            public sealed class Leaf
            {
                public string Id { get; set; } = "";
                public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));   // sealed: nothing derives
            }
            """, """
                void SaveJob(string path, ExportJob job) => File.WriteAllText(path, {|CKPT802:JsonSerializer.Serialize<Job>(job)|});
                void SaveExact(string path, ExportJob job) => File.WriteAllText(path, JsonSerializer.Serialize(job));
                void SaveAnyJob(string path, Job job) => File.WriteAllText(path, {|CKPT802:JsonSerializer.Serialize(job)|});
                void SaveTask(string path, ITask task) => File.WriteAllText(path, {|CKPT802:JsonSerializer.Serialize(task)|});
                void SaveNew(string path) => File.WriteAllText(path, JsonSerializer.Serialize(new Job()));
                string Show(Job job) => JsonSerializer.Serialize(job);   // not stored
            """));
    }

    [Fact]
    public async Task Newtonsoft_models_are_reported_without_type_names_and_without_a_fix()
    {
        var flagged = Verify.AnalyzerTest<DerivedDataLostCheck>(Program("""
            public class Drawing { public List<Shape> Shapes { get; set; } = new(); }
            public abstract class {|CKPT802:Shape|} { public string Id { get; set; } = ""; }
            public sealed class Circle : Shape { public double Radius { get; set; } }
            """, """
                void Save(string path, Drawing drawing) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(drawing));
            """));
        flagged.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await flagged.RunAsync();

        var quiet = Verify.AnalyzerTest<DerivedDataLostCheck>(Program("""
            public class Drawing { public List<Shape> Shapes { get; set; } = new(); }
            public abstract class Shape { public string Id { get; set; } = ""; }
            public sealed class Circle : Shape { public double Radius { get; set; } }
            """, """
                static readonly Newtonsoft.Json.JsonSerializerSettings Settings = new() { TypeNameHandling = Newtonsoft.Json.TypeNameHandling.Auto };
                void Save(string path, Drawing drawing) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(drawing, Settings));
            """));
        quiet.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await quiet.RunAsync();
    }

    [Fact]
    public async Task Quiet_when_the_derived_types_are_registered_or_none_exist_or_Newtonsoft_stores_it()
    {
        await Verify.AnalyzerAsync<DerivedDataLostCheck>(Program("""
            public class Drawing
            {
                public List<Shape> Shapes { get; set; } = new();
                public Layer Layer { get; set; } = new();
                [JsonConverter(typeof(JsonStringEnumConverter))] public Style? Style { get; set; }
                public Tool? Tool { get; set; }
            }
            [JsonDerivedType(typeof(Circle), "circle")]
            public abstract class Shape { public string Id { get; set; } = ""; }
            public sealed class Circle : Shape { public double Radius { get; set; } }
            public sealed class Layer { public string Name { get; set; } = ""; }
            public class Style { }
            public sealed class BoldStyle : Style { }
            [JsonConverter(typeof(JsonStringEnumConverter))] public class Tool { }
            public sealed class Pen : Tool { }
            public class Unstored { }
            public sealed class Derived : Unstored { }
            public interface IEntry { string Name { get; } long Size { get; } }
            public sealed class EntryWrapper : IEntry { public string Name { get; set; } = ""; public long Size { get; set; } }
            """, """
                void Save(string path, Drawing drawing) => File.WriteAllText(path, JsonSerializer.Serialize(drawing));
                // The only implementation has exactly the interface's members: nothing is lost.
                void SaveEntry(string path, IEntry entry) => File.WriteAllText(path, JsonSerializer.Serialize(entry));
            """));
    }

    [Fact]
    public void Evidence_System_Text_Json_drops_derived_members_and_keeps_them_once_the_types_are_registered()
    {
        const string Model = """
            using System.Collections.Generic;
            public class Drawing { public List<Shape> Shapes { get; set; } = new(); }
            public abstract class Shape { public string Id { get; set; } = ""; }
            public sealed class Circle : Shape { public double Radius { get; set; } }
            """;
        static (string Json, string? LoadedAs, bool Loaded) Save(System.Reflection.Assembly assembly)
        {
            var drawing = Activator.CreateInstance(assembly.GetType("Drawing")!)!;
            var circle = Activator.CreateInstance(assembly.GetType("Circle")!)!;
            circle.GetType().GetProperty("Radius")!.SetValue(circle, 2.5);
            ((IList)drawing.GetType().GetProperty("Shapes")!.GetValue(drawing)!).Add(circle);
            var json = System.Text.Json.JsonSerializer.Serialize(drawing, drawing.GetType());
            try
            {
                var loaded = System.Text.Json.JsonSerializer.Deserialize(json, drawing.GetType())!;
                var shapes = (IList)loaded.GetType().GetProperty("Shapes")!.GetValue(loaded)!;
                return (json, shapes[0]!.GetType().Name, true);
            }
            catch (NotSupportedException)
            {
                return (json, null, false); // an abstract base without a discriminator cannot even be loaded
            }
        }

        var before = RoundTrip.With(Model, Save);
        Assert.DoesNotContain("Radius", before.Json);
        Assert.False(before.Loaded);

        var after = RoundTrip.With(Model.Replace("public abstract class Shape", "[System.Text.Json.Serialization.JsonDerivedType(typeof(Circle), \"Circle\")] public abstract class Shape"), Save);
        Assert.Contains("\"Radius\":2.5", after.Json);
        Assert.Contains("\"$type\":\"Circle\"", after.Json);
        Assert.Equal("Circle", after.LoadedAs);

        // Newtonsoft.Json writes the derived members but, without type names, cannot load them back.
        var newtonsoft = RoundTrip.With(Model.Replace("public abstract class Shape", "public class Shape"), assembly =>
        {
            var drawing = Activator.CreateInstance(assembly.GetType("Drawing")!)!;
            var circle = Activator.CreateInstance(assembly.GetType("Circle")!)!;
            circle.GetType().GetProperty("Radius")!.SetValue(circle, 2.5);
            ((IList)drawing.GetType().GetProperty("Shapes")!.GetValue(drawing)!).Add(circle);
            var json = Newtonsoft.Json.JsonConvert.SerializeObject(drawing);
            var loaded = Newtonsoft.Json.JsonConvert.DeserializeObject(json, drawing.GetType())!;
            return (json, ((IList)loaded.GetType().GetProperty("Shapes")!.GetValue(loaded)!)[0]!.GetType().Name);
        });
        Assert.Contains("\"Radius\":2.5", newtonsoft.json);
        Assert.Equal("Shape", newtonsoft.Item2);
    }

    [Fact]
    public async Task Fix_registers_each_derived_type_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<DerivedDataLostCheck, RegisterDerivedTypesCodeFixProvider>(
            Program("""
                public class Drawing
                {
                    public List<Shape> Shapes { get; set; } = new();
                    public Style Style { get; set; } = new();
                }
                /// <summary>Anything drawn.</summary>
                public abstract class {|CKPT802:Shape|} { public string Id { get; set; } = ""; }
                public sealed class Circle : Shape { public double Radius { get; set; } }
                public sealed class Square : Shape { public double Side { get; set; } }
                public class {|CKPT802:Style|} { public string Color { get; set; } = ""; }
                public class BoldStyle : Style { public int Weight { get; set; } }
                """),
            Program("""
                public class Drawing
                {
                    public List<Shape> Shapes { get; set; } = new();
                    public Style Style { get; set; } = new();
                }
                /// <summary>Anything drawn.</summary>
                [JsonDerivedType(typeof(Circle), "Circle")]
                [JsonDerivedType(typeof(Square), "Square")]
                public abstract class Shape { public string Id { get; set; } = ""; }
                public sealed class Circle : Shape { public double Radius { get; set; } }
                public sealed class Square : Shape { public double Side { get; set; } }
                [JsonDerivedType(typeof(BoldStyle), "BoldStyle")]
                public class Style { public string Color { get; set; } = ""; }
                public class BoldStyle : Style { public int Weight { get; set; } }
                """),
            withHelper: false);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
