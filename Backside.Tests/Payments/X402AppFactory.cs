using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Payments;

/// <summary>
/// The app with the default x402 configuration, a fake facilitator, and creating a contact priced too. In-process
/// with the test clock by default; on a loopback port with the real clock for a real client (<see cref="StartOnKestrelAsync"/>).
/// </summary>
public sealed class X402AppFactory : BacksideAppFactory
{
    public const string CreateContactPrice = "20000";

    /// <summary>The platform operator of this app: the one account that sees the Payments page.</summary>
    public const string OperatorEmail = "operator@backside.test";

    private readonly bool onKestrel;

    private readonly int verificationsPerAddress;

    private X402AppFactory(FakeFacilitator facilitator, bool onKestrel, int verificationsPerAddress = 1_000_000)
    {
        Facilitator = facilitator;
        this.onKestrel = onKestrel;
        this.verificationsPerAddress = verificationsPerAddress;
        if (onKestrel)
            UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
    }

    public FakeFacilitator Facilitator { get; }

    protected override string FacilitatorUrl => Facilitator.Url;

    protected override bool UseFakeTime => !onKestrel;

    protected override int PaymentVerificationsPerAddress => verificationsPerAddress;

    public static async Task<X402AppFactory> StartAsync() => new(await FakeFacilitator.StartAsync(), onKestrel: false);

    /// <summary>In-process, with a budget of <paramref name="verificationsPerAddress"/> payments per client address a minute.</summary>
    public static async Task<X402AppFactory> StartWithVerificationBudgetAsync(int verificationsPerAddress) =>
        new(await FakeFacilitator.StartAsync(), onKestrel: false, verificationsPerAddress);

    public static async Task<X402AppFactory> StartOnKestrelAsync() => new(await FakeFacilitator.StartAsync(), onKestrel: true);

    public string BaseUrl => KestrelAddress();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("X402:SettleTimeoutSeconds", "5");
        builder.UseSetting("Operators:Emails:0", OperatorEmail);
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
