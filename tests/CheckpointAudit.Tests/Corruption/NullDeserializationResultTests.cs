using CheckpointAudit.CodeFixes.Corruption;
using CheckpointAudit.Corruption;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

public class NullDeserializationResultTests
{
    private static string Wrap(string body, string nullable = "disable") => $$"""
        #nullable {{nullable}}
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Text.Json;
        using System.Threading.Tasks;

        public class Settings { public int SchemaVersion { get; set; } public List<string> Recent { get; set; } }

        class Store
        {
            private Settings _settings;

        {{body}}
        }
        """;

    private static Task Verify302(string body, string nullable = "disable") => Verify.AnalyzerAsync<NullDeserializationResultCheck>(Wrap(body, nullable));

    [Fact]
    public async Task Flags_results_dereferenced_or_stored_without_a_check()
    {
        await Verify302("""
                int A(string path)
                {
                    var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    return settings.SchemaVersion;
                }

                void B(string path) => _settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                int AssignedLater(string path)
                {
                    string text = "";
                    text = File.ReadAllText(path);
                    var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(text)|};
                    return settings.SchemaVersion;
                }

                async Task<int> C(string path)
                {
                    await using var stream = File.OpenRead(path);
                    var recent = {|CKPT302:await JsonSerializer.DeserializeAsync<List<string>>(stream)|};
                    var count = 0;
                    foreach (var item in recent)
                    {
                        count++;
                    }

                    return count;
                }

                // The catch does not help: nothing is thrown at the load.
                int D(string path)
                {
                    try
                    {
                        return {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.SchemaVersion;
                    }
                    catch (JsonException)
                    {
                        return 0;
                    }
                }

                void E(string path)
                {
                    var loaded = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    _settings = loaded;
                }

                // A catch-all guards only what is inside its try: the null stored in a member escapes it, and so
                // does a dereference after the try.
                void StoredUnderCatchAll(string path)
                {
                    try
                    {
                        _settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    }
                    catch (Exception)
                    {
                        _settings = new Settings();
                    }
                }

                int DereferencedAfterTheTry(string path)
                {
                    Settings settings;
                    try
                    {
                        settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    }
                    catch (Exception)
                    {
                        return 0;
                    }

                    return settings.SchemaVersion;
                }

                // A catch of another type lets the NullReferenceException through.
                int CaughtElsewhere(string path)
                {
                    try
                    {
                        var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        return settings.SchemaVersion;
                    }
                    catch (IOException)
                    {
                        return 0;
                    }
                }

                // A catch that rethrows only logs the crash; a filtered catch may let it through.
                int Rethrown(string path)
                {
                    try
                    {
                        return {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.SchemaVersion;
                    }
                    catch (Exception ex)
                    {
                        Console.WriteLine(ex.Message);
                        throw;
                    }
                }

                int Filtered(string path)
                {
                    try
                    {
                        return {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.SchemaVersion;
                    }
                    catch (Exception ex) when (ex is not NullReferenceException)
                    {
                        return 0;
                    }
                }

                // The dereference is in a lambda: the method's catch does not run when the lambda does.
                Func<int> InLambda(string path)
                {
                    try
                    {
                        var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        return () => settings.SchemaVersion;
                    }
                    catch (Exception)
                    {
                        return () => 0;
                    }
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_checked_not_nullable_not_stored_or_left_to_the_compiler()
    {
        await Verify302("""
                Settings Coalesce(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? new Settings();

                int Checked(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    if (settings == null)
                    {
                        return 0;
                    }

                    return settings.SchemaVersion;
                }

                int? Conditional(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))?.SchemaVersion;

                // Stored in a member that the same body checks: State ??= new().
                void StoredThenDefaulted(string path)
                {
                    _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    _settings ??= new Settings();
                }

                void StoredThenChecked(string path)
                {
                    var loaded = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    _settings = loaded;
                    if (_settings is null)
                    {
                        _settings = new Settings();
                    }
                }

                // Read after an empty declaration, inside the try.
                int ReadInTry(string path)
                {
                    string text = "";
                    try
                    {
                        text = File.ReadAllText(path);
                    }
                    catch (IOException)
                    {
                    }

                    var settings = JsonSerializer.Deserialize<Settings>(text);
                    return settings?.SchemaVersion ?? 0;
                }

                int Pattern(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) is { } s ? s.SchemaVersion : 0;

                int ValueType(string path) => JsonSerializer.Deserialize<int>(File.ReadAllText(path)) + 1;

                int FromText(string json) => JsonSerializer.Deserialize<Settings>(json).SchemaVersion;

                Settings Returned(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));

                // The dereference throws inside a try whose catch takes a NullReferenceException: a null is handled
                // there as a torn file is (whether the handling is right is CKPT304's question).
                string CaughtByCatchAll(string path)
                {
                    try
                    {
                        var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                        return settings.Recent[0];
                    }
                    catch (Exception ex)
                    {
                        Console.WriteLine(ex.Message);
                    }

                    return string.Empty;
                }

                int CaughtByBareCatch(string path)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)).SchemaVersion;
                    }
                    catch
                    {
                        return 0;
                    }
                }

                int CaughtAsNullReference(string path)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)).SchemaVersion;
                    }
                    catch (NullReferenceException)
                    {
                        return 0;
                    }
                }
            """);

        // Nullable warnings on: CS8602 already reports the dereference.
        await Verify302("""
                int Annotated(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!.SchemaVersion + Other(path);

                int Other(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    return settings.SchemaVersion;
                }
            """,
            "enable");
    }

    [Fact]
    public async Task Newtonsoft_results_are_judged_too()
    {
        var test = Verify.AnalyzerTest<NullDeserializationResultCheck>(Wrap("""
                int A(string path) => {|CKPT302:Newtonsoft.Json.JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|}.SchemaVersion;
            """));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_null_guard_that_throws_past_the_catch_of_a_recovering_load_is_no_check()
    {
        var test = Verify.AnalyzerTest<NullDeserializationResultCheck>(Wrap("""
                void Load(string path)
                {
                    try
                    {
                        _settings = {|CKPT302:Newtonsoft.Json.JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|}.NonNull();
                    }
                    catch (Newtonsoft.Json.JsonSerializationException)
                    {
                        _settings = new Settings();
                    }
                }

                Settings Guarded(string path)
                {
                    try
                    {
                        var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        ArgumentNullException.ThrowIfNull(settings);
                        return settings;
                    }
                    catch (JsonException)
                    {
                        return new Settings();
                    }
                }

                // Quiet: no recovery from damaged data around the guard (failing loudly is the code's choice), or a catch that
                // takes what it throws.
                void Loud(string path) => _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)).NonNull();

                void CaughtAll(string path)
                {
                    try { _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)).NonNull(); }
                    catch (Exception) { _settings = new Settings(); }
                }

                int GuardedLocal(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    settings.NonNull();
                    return settings.SchemaVersion;
                }

                void Rethrown(string path)
                {
                    try { _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)).NonNull(); }
                    catch (JsonException e) { throw new InvalidDataException("damaged settings", e); }
                }

                void NoRecoveryFromDamage(string path)
                {
                    try { _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)).NonNull(); }
                    catch (IOException) { _settings = new Settings(); }
                }

                void NotAGuard(string path)
                {
                    try { Remember(JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))); }
                    catch (JsonException) { }
                }

                static void Remember(Settings settings) => Console.WriteLine(settings == null ? "none" : "some");
            """) + """

            static class Guards
            {
                public static T NonNull<T>(this T value)
                {
                    if (value == null)
                    {
                        throw new NullReferenceException();
                    }

                    return value;
                }
            }
            """);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_binary_formatter_graph_cast_with_as_can_be_null()
    {
        await Verify302("""
                #pragma warning disable SYSLIB0011
                void Load(string path)
                {
                    using var stream = File.OpenRead(path);
                    _settings = {|CKPT302:new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter().Deserialize(stream) as Settings|};
                }

                int Xml(string path)
                {
                    using var stream = File.OpenRead(path);
                    var settings = new System.Xml.Serialization.XmlSerializer(typeof(Settings)).Deserialize(stream) as Settings;
                    return settings.SchemaVersion; // made for Settings: another type throws, it does not give null
                }

                // Quiet: a direct cast throws on another type; a checked result; a serializer made for one type (above).
                void Cast(string path)
                {
                    using var stream = File.OpenRead(path);
                    _settings = (Settings)new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter().Deserialize(stream);
                }

                Settings Checked(string path)
                {
                    using var stream = File.OpenRead(path);
                    return new System.Xml.Serialization.XmlSerializer(typeof(Settings)).Deserialize(stream) as Settings ?? new Settings();
                }
            """);
    }

    [Fact]
    public async Task Fix_throws_a_clear_exception_at_the_load()
    {
        await Verify.CodeFix<NullDeserializationResultCheck, ThrowOnNullResultCodeFixProvider>(
            Wrap("""
                    int A(string path)
                    {
                        var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        return settings.SchemaVersion;
                    }

                    int B(string path) => {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.SchemaVersion;

                    async Task C(string path)
                    {
                        await using var stream = File.OpenRead(path);
                        _settings = {|CKPT302:await JsonSerializer.DeserializeAsync<Settings>(stream)|};
                    }
                """),
            Wrap("""
                    int A(string path)
                    {
                        var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? throw new InvalidDataException("The stored Settings is null.");
                        return settings.SchemaVersion;
                    }

                    int B(string path) => (JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? throw new InvalidDataException("The stored Settings is null.")).SchemaVersion;

                    async Task C(string path)
                    {
                        await using var stream = File.OpenRead(path);
                        _settings = await JsonSerializer.DeserializeAsync<Settings>(stream) ?? throw new InvalidDataException("The stored Settings is null.");
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task Fix_throws_at_the_load_before_a_guard_and_after_an_as_cast()
    {
        const string Guards = """

            static class Guards
            {
                public static T NonNull<T>(this T value) => value == null ? throw new NullReferenceException() : value;
            }
            """;
        await Verify.CodeFix<NullDeserializationResultCheck, ThrowOnNullResultCodeFixProvider>(
            Wrap("""
                    #pragma warning disable SYSLIB0011
                    void Load(string path)
                    {
                        try { _settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.NonNull(); }
                        catch (JsonException) { _settings = new Settings(); }
                    }

                    void Binary(string path)
                    {
                        using var stream = File.OpenRead(path);
                        _settings = {|CKPT302:new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter().Deserialize(stream) as Settings|};
                    }
                """) + Guards,
            Wrap("""
                    #pragma warning disable SYSLIB0011
                    void Load(string path)
                    {
                        try { _settings = (JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? throw new InvalidDataException("The stored Settings is null.")).NonNull(); }
                        catch (JsonException) { _settings = new Settings(); }
                    }

                    void Binary(string path)
                    {
                        using var stream = File.OpenRead(path);
                        _settings = new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter().Deserialize(stream) as Settings ?? throw new InvalidDataException("The stored Settings is null.");
                    }
                """) + Guards).RunAsync();
    }

    private static Microsoft.CodeAnalysis.CSharp.Testing.CSharpCodeFixTest<Only<NullDeserializationResultCheck>, ThrowOnNullResultCodeFixProvider, Microsoft.CodeAnalysis.Testing.DefaultVerifier> FallbackTest(string body, string fixedBody)
    {
        var test = Verify.CodeFix<NullDeserializationResultCheck, ThrowOnNullResultCodeFixProvider>(Wrap(body), Wrap(fixedBody));
        // Selected by key: where no fallback exists, nothing is applied.
        test.CodeActionEquivalenceKey = ThrowOnNullResultCodeFixProvider.UseFallbackEquivalenceKey;
        return test;
    }

    [Fact]
    public async Task Fallback_fix_reuses_the_default_the_function_already_returns_or_assigns()
    {
        await FallbackTest(
            """
                    List<string> A(string path)
                    {
                        if (!File.Exists(path))
                        {
                            _settings = new Settings { SchemaVersion = 1, Recent = new List<string>() };
                            return _settings.Recent;
                        }

                        _settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        return _settings.Recent;
                    }

                    void B(string path)
                    {
                        try
                        {
                            _settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        }
                        catch (JsonException)
                        {
                            _settings = new();
                        }
                    }

                    Settings C(string path)
                    {
                        if (!File.Exists(path)) return Defaults;
                        var loaded = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        loaded.Recent.Add(path);
                        return loaded;
                    }

                    private static readonly Settings Defaults = new Settings();
                """,
            """
                    List<string> A(string path)
                    {
                        if (!File.Exists(path))
                        {
                            _settings = new Settings { SchemaVersion = 1, Recent = new List<string>() };
                            return _settings.Recent;
                        }

                        _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? new Settings { SchemaVersion = 1, Recent = new List<string>() };
                        return _settings.Recent;
                    }

                    void B(string path)
                    {
                        try
                        {
                            _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? new Settings();
                        }
                        catch (JsonException)
                        {
                            _settings = new();
                        }
                    }

                    Settings C(string path)
                    {
                        if (!File.Exists(path)) return Defaults;
                        var loaded = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? Defaults;
                        loaded.Recent.Add(path);
                        return loaded;
                    }

                    private static readonly Settings Defaults = new Settings();
                """).RunAsync();
    }

    [Fact]
    public async Task Fallback_fix_is_not_offered_without_a_plain_default()
    {
        var body = """
                    // No fallback at all.
                    int A(string path) => {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.SchemaVersion;

                    // The "fallback" runs code, is null itself, or is built from the caller's state.
                    Settings B(string path)
                    {
                        if (!File.Exists(path)) return CreateDefaults(path);
                        var loaded = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        loaded.Recent.Add(path);
                        return loaded;
                    }

                    Settings C(string path)
                    {
                        if (!File.Exists(path)) return null;
                        var loaded = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        loaded.Recent.Add(path);
                        return loaded;
                    }

                    Settings D(string path, int version)
                    {
                        if (!File.Exists(path)) return new Settings { SchemaVersion = version };
                        var loaded = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        loaded.Recent.Add(path);
                        return loaded;
                    }

                    Settings CreateDefaults(string path) => new Settings();
                """;
        var test = FallbackTest(body, body);
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fallback_fix_all_in_document()
    {
        var test = FallbackTest(
            """
                    Settings A(string path)
                    {
                        if (!File.Exists(path)) return new Settings();
                        var loaded = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        loaded.Recent.Add(path);
                        return loaded;
                    }

                    void B(string path)
                    {
                        _settings = new Settings();
                        if (File.Exists(path)) _settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    }
                """,
            """
                    Settings A(string path)
                    {
                        if (!File.Exists(path)) return new Settings();
                        var loaded = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? new Settings();
                        loaded.Recent.Add(path);
                        return loaded;
                    }

                    void B(string path)
                    {
                        _settings = new Settings();
                        if (File.Exists(path)) _settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? new Settings();
                    }
                """);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
