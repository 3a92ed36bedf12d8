using System.Net;
using Backside.Tests.Infrastructure;
using Backside.Tests.Payments;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Accessibility;

/// <summary>
/// The app on Kestrel with the real clock and a fast usage flush (so the Usage page has data), a platform operator
/// (so the operator pages can be checked) and a fake x402 facilitator (so the Payments page has rows).
/// </summary>
public sealed class AccessibilityAppFactory : BacksideAppFactory
{
    public const string OperatorEmail = "operator@backside.test";

    private readonly FakeFacilitator facilitator;

    private AccessibilityAppFactory(FakeFacilitator facilitator)
    {
        this.facilitator = facilitator;
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public static async Task<AccessibilityAppFactory> StartAsync() => new(await FakeFacilitator.StartAsync());

    public string BaseUrl => KestrelAddress();

    protected override bool UseFakeTime => false;

    protected override TimeSpan UsageFlushInterval => TimeSpan.FromMilliseconds(200);

    protected override string FacilitatorUrl => facilitator.Url;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Operators:Emails:0", OperatorEmail);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await facilitator.DisposeAsync();
    }
}
