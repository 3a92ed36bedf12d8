using System.Net;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Security;

/// <summary>The app on real Kestrel at a random loopback port, so its own limits (header size, request line, framing) apply.</summary>
public sealed class HostileKestrelAppFactory : BacksideAppFactory
{
    public HostileKestrelAppFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    /// <summary>Starts the server once and returns its address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseUrl => new(KestrelAddress());
}
