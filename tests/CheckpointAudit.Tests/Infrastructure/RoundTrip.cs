using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>The JSON serializers whose round trips the Models rules are grounded in.</summary>
public enum JsonLibrary
{
    SystemTextJson,
    Newtonsoft,
}

/// <summary>
/// What a real serializer does to a model: the model's source is compiled and loaded, an instance is filled
/// with distinct values (through any setter, constructor or backing field), saved and loaded again with the
/// serializer, and the members whose values did not come back are listed. The Models rules' tests run the
/// flagged model and the fixed one through this, so each rule rests on the serializer's behaviour on the
/// runtime the tests run on.
/// </summary>
internal static class RoundTrip
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>The members of <paramref name="typeName"/> whose values did not survive a save and load.</summary>
    public static IReadOnlyList<string> LostMembers(string source, string typeName, JsonLibrary library)
    {
        var context = new AssemblyLoadContext("roundtrip-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        try
        {
            var assembly = Compile(source, context);
            var type = assembly.GetType(typeName) ?? throw new InvalidOperationException($"{typeName} is not in the source");
            var original = Fill(type);
            var json = library == JsonLibrary.SystemTextJson
                ? System.Text.Json.JsonSerializer.Serialize(original, type)
                : Newtonsoft.Json.JsonConvert.SerializeObject(original);
            var loaded = library == JsonLibrary.SystemTextJson
                ? System.Text.Json.JsonSerializer.Deserialize(json, type)!
                : Newtonsoft.Json.JsonConvert.DeserializeObject(json, type)!;
            return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && !Same(p.GetValue(original), p.GetValue(loaded)))
                .Select(p => p.Name)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Runs <paramref name="use"/> on the compiled <paramref name="source"/>, then unloads it.</summary>
    public static T With<T>(string source, Func<Assembly, T> use)
    {
        var context = new AssemblyLoadContext("models-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        try
        {
            return use(Compile(source, context));
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The text <paramref name="library"/> writes for a filled instance of <paramref name="typeName"/>.</summary>
    public static string Json(string source, string typeName, JsonLibrary library)
    {
        var context = new AssemblyLoadContext("json-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        try
        {
            var type = Compile(source, context).GetType(typeName) ?? throw new InvalidOperationException($"{typeName} is not in the source");
            var instance = Fill(type);
            return library == JsonLibrary.SystemTextJson
                ? System.Text.Json.JsonSerializer.Serialize(instance, type)
                : Newtonsoft.Json.JsonConvert.SerializeObject(instance);
        }
        finally
        {
            context.Unload();
        }
    }

    private static Assembly Compile(string source, AssemblyLoadContext context)
    {
        var compilation = CSharpCompilation.Create(
            "RoundTripModels" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, "The model does not compile:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return context.LoadFromStream(image);
    }

    /// <summary>An instance with a distinct, non-default value in every property it can reach.</summary>
    private static object Fill(Type type)
    {
        var constructor = type.GetConstructor(Type.EmptyTypes) ?? type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var instance = constructor.Invoke(constructor.GetParameters().Select((p, i) => ValueFor(p.ParameterType, p.Name!, i)).ToArray());
        var index = 100;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            index++;
            var current = property.GetValue(instance);
            if (current is IDictionary dictionary && !dictionary.IsReadOnly && property.PropertyType.GetGenericArguments() is [var keyType, var valueType])
            {
                dictionary.Add(ValueFor(keyType, property.Name, index)!, ValueFor(valueType, property.Name, index));
                continue;
            }

            if (current is IList list && !list.IsFixedSize)
            {
                list.Add(ValueFor(property.PropertyType.GetGenericArguments().FirstOrDefault() ?? typeof(object), property.Name, index));
                continue;
            }

            var value = ValueFor(property.PropertyType, property.Name, index);
            if (value is null)
            {
                continue;
            }

            if (property.GetSetMethod(nonPublic: true) is { } setter)
            {
                setter.Invoke(instance, [value]);
            }
            else if (type.GetField($"<{property.Name}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance) is { } backing)
            {
                backing.SetValue(instance, value);
            }
        }

        return instance;
    }

    private static object? ValueFor(Type type, string name, int index)
    {
        if (type == typeof(int))
        {
            return 7 + index;
        }

        if (type == typeof(long))
        {
            return 7L + index;
        }

        if (type == typeof(string))
        {
            return $"{name}-{index}";
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(double))
        {
            return 2.5 + index;
        }

        if (type == typeof(DateTime))
        {
            return new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc).AddMinutes(index);
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(type)!;
            list.Add(ValueFor(type.GetGenericArguments()[0], name, index));
            return list;
        }

        return null;
    }

    private static bool Same(object? expected, object? actual)
        => expected is IDictionary d && actual is IDictionary e
            ? d.Count == e.Count && d.Keys.Cast<object>().All(k => e.Contains(k) && Equals(d[k]?.ToString(), e[k]?.ToString()))
            : expected is IEnumerable a && expected is not string && actual is IEnumerable b
            ? a.Cast<object>().Select(x => x?.ToString()).SequenceEqual(b.Cast<object>().Select(x => x?.ToString()))
            : Equals(expected, actual) || expected?.ToString() == actual?.ToString() && expected?.GetType() == actual?.GetType();
}
