using System.Net;

namespace Backside.Tests.Infrastructure;

/// <summary>The app on Kestrel at a random loopback port, with the real clock and a fast usage flush, for a real browser.</summary>
public sealed class BrowserAppFactory : BacksideAppFactory
{
    public BrowserAppFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    protected override bool UseFakeTime => false;

    protected override TimeSpan UsageFlushInterval => TimeSpan.FromMilliseconds(200);

    /// <summary>Starts the server once and returns its address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => KestrelAddress();
}
