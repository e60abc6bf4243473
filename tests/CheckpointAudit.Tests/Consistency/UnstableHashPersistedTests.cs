using System.Diagnostics;
using CheckpointAudit.CodeFixes.Consistency;
using CheckpointAudit.Consistency;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Consistency;

public class UnstableHashPersistedTests
{
    private static string Program(string models, string body) => StoreProgram.Of(models, body, "Microsoft.Data.Sqlite") + """

        namespace Microsoft.Extensions.Caching.Distributed
        {
            public interface IDistributedCache { void Set(string key, byte[] value); byte[]? Get(string key); }
        }
        """;

    private const string Cell = "public class Cell { public string Id { get; set; } = \"\"; public int Shard { get; set; } }\npublic class Session { }";

    private static Task VerifyAsync(string source)
    {
        var test = Verify.AnalyzerTest<UnstableHashPersistedCheck>(source);
        TestReferences.UseSqlite(test.TestState);
        return test.RunAsync();
    }

    [Fact]
    public async Task Flags_randomised_hashes_in_file_names_persisted_members_database_values_and_cache_keys()
    {
        await VerifyAsync(Program(Cell, """
                private static string CellId(string table, int row) => "c" + {|CKPT501:(table + "/" + row).GetHashCode()|}.ToString("x8");

                void Save(string path, Cell cell) => File.WriteAllText(path, JsonSerializer.Serialize(cell));

                Cell Make(string table, int row, Type kind) => new Cell { Id = CellId(table, row), Shard = Math.Abs({|CKPT501:kind.GetHashCode()|}) % 16 };

                string CachePath(string root, string url) => Path.Combine(root, {|CKPT501:url.GetHashCode()|} + ".json");

                void Record(SqliteConnection connection, string name, Session owner, Microsoft.Extensions.Caching.Distributed.IDistributedCache cache)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "INSERT INTO owners (hash) VALUES ($hash)";
                    var hash = {|CKPT501:HashCode.Combine(name, 42)|};
                    command.Parameters.AddWithValue("$hash", hash);
                    command.ExecuteNonQuery();
                    cache.Set("owner-" + {|CKPT501:owner.GetHashCode()|}, Array.Empty<byte>());
                    cache.Set({|CKPT501:StringComparer.OrdinalIgnoreCase.GetHashCode(name)|}.ToString(), Array.Empty<byte>());
                }
            """));
    }

    [Fact]
    public async Task Flags_hashes_that_travel_through_locals_folds_helpers_members_and_documents()
    {
        var test = Verify.AnalyzerTest<UnstableHashPersistedCheck>(Program("public class Cell { public string Id { get; set; } = \"\"; }", """
                void TwoLocals(string root, string name)
                {
                    var hash = {|CKPT501:name.GetHashCode()|};
                    var file = hash.ToString("x8") + ".json";
                    File.WriteAllText(Path.Combine(root, file), name);
                }

                string Folded(string root, string[] parts)
                {
                    var total = 17;
                    foreach (var part in parts)
                    {
                        total += {|CKPT501:part.GetHashCode()|};
                    }

                    return Path.Combine(root, total + ".bin");
                }

                string Aggregated(string root, string[] parts)
                    => Path.Combine(root, System.Linq.Enumerable.Aggregate(parts, 17, (sum, part) => sum * 31 + {|CKPT501:part.GetHashCode()|}) + ".bin");

                void ThroughHelper(string root, string name) => Directory.CreateDirectory(Path.Combine(root, Ids.ToGuid({|CKPT501:name.GetHashCode()|}).ToString()));

                void Documents(string name, System.Xml.Linq.XElement element)
                {
                    element.Add(new System.Xml.Linq.XAttribute("key", {|CKPT501:name.GetHashCode()|}));
                    element.SetAttributeValue("id", {|CKPT501:HashCode.Combine(name, 1)|});
                }
            """) + """

            static class Ids
            {
                public static Guid ToGuid(int hash) => new Guid(hash, 0, 0, new byte[8]);
            }

            public class Entry
            {
                public string Name { get; set; } = "";
                public string Key => {|CKPT501:Name.GetHashCode()|}.ToString("x8");
            }
            """);
        test.TestState.Sources.Add("""
            using System.IO;

            class EntryFiles
            {
                string PathOf(string root, Entry entry) => Path.Combine(root, entry.Key + ".json");
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Follows_a_hash_through_a_package_conversion_that_does_not_bind()
    {
        // A checkout whose packages are not restored: hash.ToGuid() comes from one of them. What it returns carries the
        // hash into the document or a hand-mapped settings member (parenthesized too); an unbound member whose result is
        // never stored stays quiet.
        var test = Verify.AnalyzerTest<UnstableHashPersistedCheck>(Program(Cell, """
                void Keys(string name, System.Xml.Linq.XElement element)
                {
                    element.Value = {|CKPT501:name.GetHashCode()|}.ToGuid().ToString();
                }

                void NotStored(string name, System.Xml.Linq.XElement element)
                {
                    var even = name.GetHashCode().IsEven();
                    element.Value = Describe(name.GetHashCode());
                    Console.WriteLine(even);
                }

                static string Describe(int hash) => hash < 0 ? "negative" : "positive";

                void Keyed(string name) => Registry.Key = ({|CKPT501:name.GetHashCode()|} % 64).ToGuid().ToString();
            """) + """

            // Written to and read back from the settings bag under its own name: kept.
            public static class Registry
            {
                public static string Key { get; set; } = "";
                public static void Load(IDictionary<string, string> items) => Key = items.TryGetValue(nameof(Key), out var key) ? key : Key;
                public static IDictionary<string, string> Save() => new Dictionary<string, string> { [nameof(Key)] = Key };
            }
            """);
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_for_hashes_that_stay_in_memory_and_for_stable_ones()
    {
        await VerifyAsync(Program("""
            public class Key : IEquatable<Key>
            {
                public string Name { get; set; } = "";
                public bool Equals(Key? other) => other is not null && other.Name == Name;
                public override bool Equals(object? obj) => Equals(obj as Key);
                public override int GetHashCode() => HashCode.Combine(Name, Name.GetHashCode());
            }
            public sealed class NameComparer : IEqualityComparer<string>
            {
                public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase);
                public int GetHashCode(string value) => value.ToUpperInvariant().GetHashCode();
            }
            public record Point(int X, int Y);
            public class Cell { public int Id { get; set; } }
            static class Buckets { public static string Of(int bucket) => bucket < 8 ? "low" : "high"; }
            """, """
                private readonly Dictionary<int, string> _byHash = new();

                void Index(string name, Cell cell, Point point)
                {
                    _byHash[name.GetHashCode()] = name;                       // in-memory dictionary
                    var bucket = name.GetHashCode() % 8;                       // in-memory bucket
                    Console.WriteLine(bucket);
                    cell.Id = 42.GetHashCode() + point.GetHashCode();         // int and record hashes of ints are stable
                    var local = name.GetHashCode();
                    var second = local % 16;
                    Console.WriteLine(Buckets.Of(second));                     // a helper that keeps it in memory
                    File.WriteAllText(Path.Combine("cells", cell.Id + ".json"), JsonSerializer.Serialize(cell));
                }
            """));
    }

    [Fact]
    public async Task Fix_uses_the_stable_hash_one_at_a_time_and_with_fix_all()
    {
        var before = Program(Cell, """
                private static string CellId(string table, int row) => "c" + {|CKPT501:(table + "/" + row).GetHashCode()|}.ToString("x8");

                void Save(string path, Cell cell) => File.WriteAllText(path, JsonSerializer.Serialize(cell));

                Cell Make(string table, int row) => new Cell { Id = CellId(table, row) };

                string CachePath(string root, string url) => Path.Combine(root, {|CKPT501:url.GetHashCode()|} + ".json");
            """);
        var after = Program(Cell, """
                private static string CellId(string table, int row) => "c" + CheckpointFile.StableHash(table + "/" + row).ToString("x8");

                void Save(string path, Cell cell) => File.WriteAllText(path, JsonSerializer.Serialize(cell));

                Cell Make(string table, int row) => new Cell { Id = CellId(table, row) };

                string CachePath(string root, string url) => Path.Combine(root, CheckpointFile.StableHash(url) + ".json");
            """).Replace("using Microsoft.Data.Sqlite;\n", "using CheckpointAudit;\nusing Microsoft.Data.Sqlite;\n");
        var test = Verify.CodeFix<UnstableHashPersistedCheck, StableHashCodeFixProvider>(before, after);
        TestReferences.UseSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public void Evidence_string_GetHashCode_differs_between_two_processes_and_StableHash_does_not()
    {
        var directory = Directory.CreateTempSubdirectory("ckpt-hash-").FullName;
        try
        {
            var program = Path.Combine(directory, "hashes.dll");
            var compilation = CSharpCompilation.Create(
                "hashes",
                [
                    CSharpSyntaxTree.ParseText("System.Console.WriteLine(\"stage-03/cell-7\".GetHashCode() + \" \" + CheckpointAudit.CheckpointFile.StableHash(\"stage-03/cell-7\"));"),
                    CSharpSyntaxTree.ParseText(Verify.HelperSourceNet80),
                ],
                ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p)),
                new CSharpCompilationOptions(OutputKind.ConsoleApplication));
            var emit = compilation.Emit(program);
            Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
            File.WriteAllText(
                Path.Combine(directory, "hashes.runtimeconfig.json"),
                "{\"runtimeOptions\":{\"tfm\":\"net10.0\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + Environment.Version + "\"}}}");

            var first = Run(program).Split(' ');
            var second = Run(program).Split(' ');

            Assert.NotEqual(first[0], second[0]);                       // string.GetHashCode(): a new seed in each process
            Assert.Equal(first[1], second[1]);                          // StableHash: the same everywhere
            Assert.Equal(unchecked((int)0xbaeb286e).ToString(), first[1]); // 32-bit FNV-1a of the UTF-8 bytes
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Run(string program)
    {
        var start = new ProcessStartInfo(DotnetCli.HostPath) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(program);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
