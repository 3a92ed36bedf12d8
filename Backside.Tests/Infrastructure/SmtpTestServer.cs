using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// One real SMTP server for the whole run: Debian's aiosmtpd with its Mailbox handler, writing every message it
/// accepts to a maildir. <c>scripts/test</c> starts it and says where (<see cref="PortVariable"/>,
/// <see cref="MaildirVariable"/>); under a plain <c>dotnet test</c> the first test that needs it starts one the same
/// way, stopped when the test process ends. Tests run in parallel on one maildir, so each finds its mail by recipient.
/// </summary>
public sealed class SmtpTestServer
{
    public const string PortVariable = "BACKSIDE_TEST_SMTP_PORT";
    public const string MaildirVariable = "BACKSIDE_TEST_MAILDIR";

    private static readonly Lazy<SmtpTestServer> shared = new(StartOrFind);

    private SmtpTestServer(int port, string maildir)
    {
        Port = port;
        Maildir = maildir;
    }

    public static SmtpTestServer Shared => shared.Value;

    public int Port { get; }

    public string Maildir { get; }

    /// <summary>The first message delivered to <paramref name="to"/> that <paramref name="where"/> accepts; fails after 15 seconds.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(string to, Func<MimeMessage, bool>? where = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (MessagesTo(to).FirstOrDefault(m => where?.Invoke(m) ?? true) is { } message)
                return message;
            Assert.True(DateTime.UtcNow < deadline,
                $"No matching message for {to} reached the SMTP server; it holds for them: [{string.Join(", ", MessagesTo(to).Select(m => m.Subject))}].");
            await Task.Delay(100);
        }
    }

    /// <summary>Every message delivered so far to <paramref name="to"/>, oldest first.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string to)
    {
        var messages = new List<(DateTime Written, MimeMessage Message)>();
        // The Mailbox handler writes into tmp/ and renames into new/, so a file seen here is complete.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Maildir, "new")))
        {
            var message = MimeMessage.Load(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
                messages.Add((File.GetLastWriteTimeUtc(file), message));
        }
        return [.. messages.OrderBy(m => m.Written).Select(m => m.Message)];
    }

    private static SmtpTestServer StartOrFind()
    {
        if (Environment.GetEnvironmentVariable(PortVariable) is { Length: > 0 } port
            && Environment.GetEnvironmentVariable(MaildirVariable) is { Length: > 0 } maildir)
            return new SmtpTestServer(int.Parse(port), maildir);

        var ownMaildir = Path.Combine(Path.GetTempPath(), "backside-tests", $"maildir-{Guid.NewGuid():N}");
        // A free port can be taken by someone else between asking and binding; then try another.
        for (var attempt = 1; ; attempt++)
        {
            var freePort = FreeLoopbackPort();
            if (TryStart(freePort, ownMaildir, out var failure))
                return new SmtpTestServer(freePort, ownMaildir);
            if (attempt == 3)
                throw new InvalidOperationException(
                    $"Could not start aiosmtpd (install Debian's python3-aiosmtpd; scripts/test does): {failure}");
        }
    }

    private static bool TryStart(int port, string maildir, out string failure)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        // Through a shell that stops the server when its stdin closes: the test host may be killed rather than exit,
        // and then the pipe closing is the only goodbye the server gets.
        // (A background job's stdin is /dev/null unless redirected, hence fd 3.)
        const string script = "exec 3<&0; \"$0\" -m aiosmtpd -n -l \"$1\" -c aiosmtpd.handlers.Mailbox \"$2\" & server=$!; "
            + "(cat <&3 >/dev/null; kill $server) 2>/dev/null & wait $server; rm -rf \"$2\"";
        var start = new ProcessStartInfo("/bin/sh", ["-c", script, python, $"127.0.0.1:{port}", maildir])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process, maildir);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                failure = process.StandardError.ReadToEnd();
                return false;
            }
            if (Accepts(port) && Directory.Exists(Path.Combine(maildir, "new")))
            {
                failure = "";
                return true;
            }
            Thread.Sleep(100);
        }
        Stop(process, maildir);
        failure = "it did not listen within 20 seconds";
        return false;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Stop(Process process, string maildir)
    {
        try
        {
            // Closing stdin stops the server and removes its maildir (see the script above).
            process.StandardInput.Close();
            if (!process.WaitForExit(5000))
                process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // Already gone.
        }
        if (Directory.Exists(maildir))
        {
            try
            {
                Directory.Delete(maildir, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is the system's to clean then.
            }
        }
    }
}
