using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace DocumentPipeline.Web;

public sealed record StageProgress(string DocumentId, int Stage, string Name, string Status);

/// <summary>Sends every stage event to the browsers connected on /progress.</summary>
public sealed class ProgressBroadcaster
{
    private readonly ConcurrentDictionary<Guid, WebSocket> _sockets = new();

    public async Task PublishAsync(StageProgress progress)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(progress, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        foreach (var (key, socket) in _sockets)
        {
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
                _sockets.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Keeps the socket registered until the browser closes it; the first message says it is registered.</summary>
    public async Task ServeAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var key = Guid.NewGuid();
        _sockets[key] = socket;
        var buffer = new byte[256];
        try
        {
            var connected = JsonSerializer.SerializeToUtf8Bytes(new StageProgress("", 0, "", "connected"), new JsonSerializerOptions(JsonSerializerDefaults.Web));
            await socket.SendAsync(connected, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

            while (socket.State == WebSocketState.Open && !cancellationToken.IsCancellationRequested)
            {
                var message = await socket.ReceiveAsync(buffer, cancellationToken);
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            _sockets.TryRemove(key, out _);
        }
    }
}
