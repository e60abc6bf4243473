using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>
/// The client side of the Language Server Protocol over a server's standard input and output (JSON-RPC with
/// Content-Length framing), as an editor drives it: requests wait for their response, and the server's own requests
/// (configuration, capability registration, progress) are answered as a plain editor answers them.
/// </summary>
internal sealed class LspClient : IDisposable
{
    private readonly Process process;
    private readonly Stream input;
    private readonly object writeGate = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> pending = new();
    private readonly StringBuilder errors = new();
    private readonly JsonObject settings;
    private int nextId;

    private LspClient(Process process, JsonObject settings)
    {
        this.process = process;
        this.settings = settings;
        input = process.StandardInput.BaseStream;
        _ = Task.Run(ReadMessagesAsync);
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }
            }
        });
    }

    /// <summary>The server's standard error so far, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    /// <param name="settings">What workspace/configuration answers, section by section (e.g. { "csharp": { … } }).</param>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static LspClient Start(string command, string workingDirectory, IReadOnlyDictionary<string, string?> environment, JsonObject settings)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new LspClient(Process.Start(start) ?? throw new InvalidOperationException($"{command} could not be started"), settings);
    }

    /// <summary>The response's result (null for a null result); an error response throws.</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonNode parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref nextId);
        var response = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = response;
        Write(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        var done = await Task.WhenAny(response.Task, Task.Delay(timeout));
        if (done != response.Task)
        {
            throw new TimeoutException($"{method}: no response in {timeout.TotalSeconds:0} s. Server's stderr:\n{Errors}");
        }

        var message = await response.Task;
        return message["error"] is { } error ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}") : message["result"];
    }

    public void Notify(string method, JsonNode parameters)
        => Write(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    private void Write(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        lock (writeGate)
        {
            input.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
            input.Write(body);
            input.Flush();
        }
    }

    private async Task ReadMessagesAsync()
    {
        var output = process.StandardOutput.BaseStream;
        try
        {
            while (await ReadMessageAsync(output) is { } message)
            {
                if (message["method"] is JsonValue method && message["id"] is { } id)
                {
                    Write(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = Answer((string)method!, message["params"]) });
                }
                else if (message["id"] is JsonValue responseId && pending.TryRemove((int)responseId, out var waiting))
                {
                    waiting.TrySetResult(message);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The server exited: pending requests time out with its stderr.
        }
    }

    // The answers an editor without extra features gives to the server's requests.
    private JsonNode? Answer(string method, JsonNode? parameters) => method switch
    {
        "workspace/configuration" => new JsonArray([.. (parameters?["items"] as JsonArray ?? []).Select(item => item?["section"] is JsonValue section && settings[(string)section!] is { } value ? value.DeepClone() : settings.DeepClone())]),
        _ => null,
    };

    private static async Task<JsonNode?> ReadMessageAsync(Stream stream)
    {
        var length = -1;
        while (true)
        {
            var line = await ReadLineAsync(stream);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return JsonNode.Parse(body);
    }

    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }

        return null;
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }
}
