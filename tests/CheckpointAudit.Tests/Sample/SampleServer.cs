using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CheckpointAudit.Tests.Infrastructure;
using CheckpointAudit.Tests.Packaging;

namespace CheckpointAudit.Tests.Sample;

/// <summary>The built sample pipeline running as a web server on a free loopback port.</summary>
internal sealed class SampleServer : IDisposable
{
    private readonly Process _process;

    private SampleServer(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public static async Task<SampleServer> StartAsync()
    {
        var build = SampleApp.Build();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("The sample does not build:\n" + build);
        }

        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("ckpt-sample-data-").FullName;
        var host = DotnetCli.HostPath;
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = data,
        };
        start.ArgumentList.Add(SampleApp.AssemblyPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Pipeline__DataDirectory"] = data;
        start.Environment["Pipeline__ProcessSamplesOnStart"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new SampleServer(process, new Uri($"http://127.0.0.1:{port}/"), data);
        using var client = new HttpClient { BaseAddress = server.Address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("documents")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException("The sample server did not start.");
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
