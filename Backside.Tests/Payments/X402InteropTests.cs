using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Payments;

/// <summary>
/// The official x402 client from npm (<c>@x402/fetch</c> with <c>@x402/evm</c>) pays the running app end to end, on
/// both protocol versions, with a throw-away key: a real third-party encoder, not ours. <c>scripts/test</c> installs
/// the client into <c>Backside.Tests/Interop/x402-client</c>.
/// </summary>
public class X402InteropTests
{
    private static readonly string ClientFolder = Path.Combine(PaymentVectors.RepositoryRoot(), "Backside.Tests", "Interop", "x402-client");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Official_client_pays_and_gets_the_contacts_with_a_receipt(int version)
    {
        await using var app = await X402AppFactory.StartOnKestrelAsync();
        var privateKey = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var wallet = new TestWallet(privateKey); // only to know the address the key pays from

        var result = await RunClientAsync($"{app.BaseUrl}/api/v1/contacts", privateKey, version);

        Assert.Equal(200, result["status"]!.GetValue<int>());
        Assert.Equal(version, result["paid"]!.GetValue<int>());
        Assert.NotNull(JsonNode.Parse(result["body"]!.GetValue<string>())!["data"]);
        Assert.True(result["receipt"]!["success"]!.GetValue<bool>());
        await using var db = app.OpenDatabase();
        var payment = await db.Payments.SingleAsync();
        Assert.Equal(wallet.Address, payment.Payer);
        Assert.Equal(version, payment.X402Version);
        Assert.Equal(result["receipt"]!["transaction"]!.GetValue<string>(), payment.TransactionHash);
    }

    private static async Task<JsonObject> RunClientAsync(string url, string privateKey, int version)
    {
        Assert.True(Directory.Exists(Path.Combine(ClientFolder, "node_modules")),
            $"The x402 client is not installed: run scripts/test, or npm ci --prefix {ClientFolder}.");
        var start = new ProcessStartInfo("node", ["pay.mjs", url, privateKey, version.ToString()])
        {
            WorkingDirectory = ClientFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"node pay.mjs failed: {await errors}");
        return JsonNode.Parse((await output).Trim().Split('\n')[^1])!.AsObject();
    }
}
