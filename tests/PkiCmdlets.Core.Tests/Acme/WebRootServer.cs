using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>
/// A minimal web server on 127.0.0.1 that serves the files under one folder, whatever the Host header: what
/// nginx or Apache does with a document root, enough for Pebble's http-01 validation to read the challenge
/// files Submit-CertificateOrder -WebRoot writes.
/// </summary>
public sealed class WebRootServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _root;

    public WebRootServer(string root)
    {
        _root = Path.GetFullPath(root);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Every path requested, with the status served, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Requests for a file of this name hang until the server stops: a web server that never answers.</summary>
    public void Stall(string fileName) => _stalled[fileName] = true;

    private readonly ConcurrentDictionary<string, bool> _stalled = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 8192)
                {
                    if (await stream.ReadAsync(buffer, _stop.Token) == 0) return;
                    head.Append((char)buffer[0]);
                }
                var requestLine = head.ToString().Split("\r\n")[0].Split(' ');
                var path = requestLine.Length > 1 ? Uri.UnescapeDataString(requestLine[1].Split('?')[0]) : "/";
                var file = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
                if (_stalled.ContainsKey(Path.GetFileName(file)))
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                var found = requestLine[0] == "GET" && file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(file);
                var body = found ? await File.ReadAllBytesAsync(file) : Encoding.ASCII.GetBytes("not found");
                Requests.Enqueue($"{path} {(found ? 200 : 404)}");
                var header = $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
            catch (Exception e) when (e is IOException || e is OperationCanceledException || e is SocketException)
            {
            }
        }
    }
}
