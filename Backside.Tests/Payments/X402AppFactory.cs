using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Payments;

/// <summary>The app with the default x402 configuration, a fake facilitator, and creating a contact priced too.</summary>
public sealed class X402AppFactory(FakeFacilitator facilitator) : BacksideAppFactory
{
    public const string CreateContactPrice = "20000";

    public FakeFacilitator Facilitator { get; } = facilitator;

    protected override string FacilitatorUrl => Facilitator.Url;

    public static async Task<X402AppFactory> StartAsync() => new(await FakeFacilitator.StartAsync());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("X402:SettleTimeoutSeconds", "5");
        builder.UseSetting("X402:Routes:1:Method", "POST");
        builder.UseSetting("X402:Routes:1:Pattern", "/api/v1/contacts");
        builder.UseSetting("X402:Routes:1:Price", CreateContactPrice);
        builder.UseSetting("X402:Routes:1:Description", "Create a contact (paid per request)");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Facilitator.DisposeAsync();
    }
}
