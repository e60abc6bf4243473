using CheckpointAudit.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class TornTailAppendTests
{
    [Fact]
    public async Task Flags_appends_to_a_file_whose_lines_are_parsed_with_no_catch()
    {
        await Verify.AnalyzerAsync<TornTailAppendCheck>("""
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Text.Json;

            public record Event(string Id, int Stage);

            class Journal
            {
                private readonly string _path;
                private readonly string _dir;

                public Journal(string dir) { _dir = dir; _path = Path.Combine(dir, "events.jsonl"); }

                public void Append(Event e) => {|CKPT208:File.AppendAllText(_path, JsonSerializer.Serialize(e) + "\n")|};

                public List<Event> Load()
                {
                    var events = new List<Event>();
                    foreach (var line in File.ReadLines(_path))
                    {
                        events.Add(JsonSerializer.Deserialize<Event>(line)!);
                    }

                    return events;
                }

                // The same path expression in the same type names the same file.
                public void Audit(string message)
                {
                    using var writer = {|CKPT208:new StreamWriter(Path.Combine(_dir, "audit.jsonl"), append: true)|};
                    writer.WriteLine(JsonSerializer.Serialize(message));
                }

                public string[] ReadAudit()
                {
                    var result = new List<string>();
                    using var reader = new StreamReader(Path.Combine(_dir, "audit.jsonl"));
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        result.Add(JsonSerializer.Deserialize<string>(line)!);
                    }

                    return result.ToArray();
                }
            }

            class History
            {
                private const string File1 = "history.jsonl";

                public void Add(Event e)
                {
                    using var stream = {|CKPT208:new FileStream(File1, FileMode.Append)|};
                    JsonSerializer.Serialize(stream, e);
                }

                public Event[] All() => File.ReadAllLines(File1).Select(l => JsonSerializer.Deserialize<Event>(l)!).ToArray();
            }
            """);
    }

    [Fact]
    public async Task Flags_lines_parsed_by_the_projects_own_parser_from_a_path_the_loader_is_given()
    {
        await Verify.AnalyzerAsync<TornTailAppendCheck>("""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Threading.Tasks;

            public record Ban(long Until, string Address)
            {
                public string ToLine() => Until + ";" + Address;

                public static Ban FromLine(string line)
                {
                    var parts = line.Split(';');
                    return new Ban(long.Parse(parts[0]), parts[1]);
                }
            }

            class Prison
            {
                private readonly string _path;
                private readonly List<Ban> _bans;

                public Prison(string path)
                {
                    _path = path;
                    _bans = Load(_path);
                }

                // A catch around the whole load: one torn line still loses every ban.
                private static List<Ban> Load(string path)
                {
                    try
                    {
                        return File.ReadAllLines(path).Select(Ban.FromLine).ToList();
                    }
                    catch (Exception)
                    {
                        File.Delete(path);
                        return new List<Ban>();
                    }
                }

                public Task AddAsync(Ban ban) => {|CKPT208:File.AppendAllLinesAsync(_path, new[] { ban.ToLine() })|};
            }

            class Counters
            {
                private readonly string _path = "counters.txt";

                public void Add(int value) => {|CKPT208:File.AppendAllText(_path, value + Environment.NewLine)|};

                public int Sum()
                {
                    var sum = 0;
                    foreach (var line in File.ReadLines(_path))
                    {
                        sum += int.Parse(line);
                    }

                    return sum;
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_bad_lines_are_skipped_or_the_file_is_not_read_by_line()
    {
        await Verify.AnalyzerAsync<TornTailAppendCheck>("""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Text.Json;

            public record Event(string Id, int Stage);

            class Journal
            {
                private readonly string _path = "events.jsonl";
                private readonly string _log = "app.log";
                private readonly string _state = "state.json";

                public void Append(Event e) => File.AppendAllText(_path, JsonSerializer.Serialize(e) + "\n");

                // Each line is parsed in its own try: a torn last line is skipped, the rest loads.
                public List<Event> Load()
                {
                    var events = new List<Event>();
                    foreach (var line in File.ReadLines(_path))
                    {
                        try
                        {
                            events.Add(JsonSerializer.Deserialize<Event>(line)!);
                        }
                        catch (JsonException)
                        {
                        }
                    }

                    return events;
                }

                private readonly string _numbers = "numbers.txt";

                public void Count(int n) => File.AppendAllText(_numbers, n + "\n");

                // TryParse skips what it cannot read.
                public int Total() => File.ReadLines(_numbers).Sum(l => int.TryParse(l, out var n) ? n : 0);

                // A log is appended and never parsed back.
                public void Log(string message) => File.AppendAllText(_log, message + Environment.NewLine);

                public string[] Tail() => File.ReadAllLines(_log);

                // Appended, but read back whole, not by line (a different rule's concern).
                public void Add(Event e) => File.AppendAllText(_state, JsonSerializer.Serialize(e));

                public Event? Read() => JsonSerializer.Deserialize<Event>(File.ReadAllText(_state));

                // Parameters name different files in different calls: not matched.
                public void AppendTo(string path, Event e) => File.AppendAllText(path, JsonSerializer.Serialize(e) + "\n");

                public IEnumerable<Event?> ReadFrom(string path)
                {
                    foreach (var line in File.ReadLines(path))
                    {
                        yield return JsonSerializer.Deserialize<Event>(line);
                    }
                }
            }
            """);
    }
}
