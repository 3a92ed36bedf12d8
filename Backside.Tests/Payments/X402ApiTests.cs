using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Core.Usage;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Payments;

[Trait("Providers", "Both")]
public class X402ApiTests
{
    private const string Contacts = PaidRequests.Contacts;

    [Fact]
    public async Task Priced_route_without_credentials_answers_402_with_v1_body_and_v2_header_describing_the_same_offer()
    {
        await using var app = await X402AppFactory.StartAsync();
        using var response = await app.CreateClient().GetAsync(Contacts);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("payment_required", body["code"]!.GetValue<string>());
        Assert.Equal(1, body["x402Version"]!.GetValue<int>());
        var v1 = body["accepts"]!.AsArray().Single()!;
        Assert.Equal("base-sepolia", v1["network"]!.GetValue<string>());
        Assert.Equal("10000", v1["maxAmountRequired"]!.GetValue<string>());
        Assert.Equal("http://localhost/api/v1/contacts", v1["resource"]!.GetValue<string>());

        var v2 = PaidRequests.DecodeHeader(response, "PAYMENT-REQUIRED");
        Assert.Equal(2, v2["x402Version"]!.GetValue<int>());
        var offer = v2["accepts"]!.AsArray().Single()!;
        Assert.Equal("eip155:84532", offer["network"]!.GetValue<string>());
        Assert.Equal("10000", offer["amount"]!.GetValue<string>());
        foreach (var member in new[] { "payTo", "asset", "maxTimeoutSeconds" })
            Assert.Equal(v1[member]!.ToJsonString(), offer[member]!.ToJsonString());
        Assert.Equal("http://localhost/api/v1/contacts", v2["resource"]!["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1, "X-PAYMENT-RESPONSE")]
    [InlineData(2, "PAYMENT-RESPONSE")]
    public async Task Paid_request_succeeds_once_with_a_receipt_and_its_replay_is_refused(int version, string receiptHeader)
    {
        await using var app = await X402AppFactory.StartAsync();
        var client = app.CreateClient();
        var wallet = new TestWallet();
        var (v1, v2) = await PaidRequests.OffersAsync(client, HttpMethod.Get);
        var header = version == 1
            ? wallet.Pay(1, v1["accepts"]![0]!.AsObject(), app.Time.GetUtcNow())
            : wallet.Pay(2, v2["accepts"]![0]!.AsObject(), app.Time.GetUtcNow(), v2["resource"]!.AsObject());
        HttpRequestMessage Paid() => new(HttpMethod.Get, Contacts) { Headers = { { version == 1 ? "X-PAYMENT" : "PAYMENT-SIGNATURE", header } } };

        using var paid = await client.SendAsync(Paid());
        using var replay = await client.SendAsync(Paid());

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Empty((await paid.Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsArray());
        var receipt = PaidRequests.DecodeHeader(paid, receiptHeader);
        Assert.True(receipt["success"]!.GetValue<bool>());
        Assert.StartsWith("0x", receipt["transaction"]!.GetValue<string>());
        Assert.Contains(receiptHeader, paid.Headers.GetValues("Access-Control-Expose-Headers").Single());
        var problem = await replay.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired, "invalid_payment");
        Assert.Equal("replay", problem.GetProperty("reason").GetString());
        Assert.NotEmpty(problem.GetProperty("accepts").EnumerateArray());
        Assert.Equal(1, app.Facilitator.CallsTo("settle"));

        await using var db = app.OpenDatabase();
        var payment = await db.Payments.SingleAsync();
        Assert.Equal(wallet.Address, payment.Payer);
        Assert.Equal(10000, payment.Amount);
        Assert.Equal(receipt["transaction"]!.GetValue<string>(), payment.TransactionHash);
        Assert.Equal(version, payment.X402Version);
    }

    [Fact]
    public async Task The_402_names_the_priced_path_and_echoes_neither_the_query_nor_an_oversized_host()
    {
        await using var app = await X402AppFactory.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Contacts}?limit=5&pad={new string('q', 6000)}");
        request.Headers.TryAddWithoutValidation("Host", string.Join('.', Enumerable.Repeat(new string('h', 60), 35)));

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 4096, $"{body.Length} characters");
        Assert.DoesNotContain("qqqq", body);
        Assert.Equal("http://localhost/api/v1/contacts", JsonNode.Parse(body)!["accepts"]![0]!["resource"]!.GetValue<string>());
        var v2 = PaidRequests.DecodeHeader(response, "PAYMENT-REQUIRED");
        Assert.Equal("http://localhost/api/v1/contacts", v2["resource"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Payments_from_one_address_past_its_verification_budget_get_429_without_a_signature_check_or_facilitator_call()
    {
        await using var app = await X402AppFactory.StartWithVerificationBudgetAsync(3);
        var client = app.CreateClient();
        var wallet = new TestWallet();
        var (v1, v2) = await PaidRequests.OffersAsync(client, HttpMethod.Get);
        HttpRequestMessage Paid(string address)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Contacts);
            request.Headers.Add("PAYMENT-SIGNATURE", wallet.Pay(2, v2["accepts"]![0]!.AsObject(), app.Time.GetUtcNow(), v2["resource"]!.AsObject()));
            request.Headers.Add(TestClientAddressStartupFilter.HeaderName, address);
            return request;
        }
        // Validly signed, and so each worth a signature recovery and a facilitator call.
        for (var i = 0; i < 3; i++)
        {
            using var paid = await client.SendAsync(Paid("203.0.113.7"));
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }
        var verifyCalls = app.Facilitator.CallsTo("verify");

        using var refused = await client.SendAsync(Paid("203.0.113.7"));

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(problem.GetProperty("retry_after").GetInt32()), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(verifyCalls, app.Facilitator.CallsTo("verify"));
        // Even a malformed header spends nothing more and is refused the same way.
        using var malformed = new HttpRequestMessage(HttpMethod.Get, Contacts) { Headers = { { "PAYMENT-SIGNATURE", "not base64" }, { TestClientAddressStartupFilter.HeaderName, "203.0.113.7" } } };
        await (await client.SendAsync(malformed)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        // Another address has its own budget, and this one a new budget once the window ends.
        using var elsewhere = await client.SendAsync(Paid("198.51.100.9"));
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        app.Time.Advance(TimeSpan.FromSeconds(61));
        using var later = await client.SendAsync(Paid("203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(3 + 1 + 1, app.Facilitator.CallsTo("settle"));
    }

    [Fact]
    public async Task The_same_payment_sent_concurrently_is_accepted_exactly_once()
    {
        await using var app = await X402AppFactory.StartAsync();
        var client = app.CreateClient();
        var (_, v2) = await PaidRequests.OffersAsync(client, HttpMethod.Get);
        var header = new TestWallet().Pay(2, v2["accepts"]![0]!.AsObject(), app.Time.GetUtcNow(), v2["resource"]!.AsObject());

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Get, Contacts) { Headers = { { "PAYMENT-SIGNATURE", header } } })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PaymentRequired, r.StatusCode));
        Assert.Equal(1, app.Facilitator.CallsTo("settle"));
        await using var db = app.OpenDatabase();
        Assert.Single(await db.Payments.ToListAsync());
    }

    [Fact]
    public async Task First_payment_provisions_the_wallet_organization_and_later_payments_act_within_it()
    {
        await using var app = await X402AppFactory.StartAsync();
        var client = app.CreateClient();
        var wallet = new TestWallet();

        using var created = await PaidRequests.PayAsync(client, wallet, app.Time.GetUtcNow(), method: HttpMethod.Post, body: new { name = "Ada Lovelace", email = "ada@example.com" });
        using var listed = await PaidRequests.PayAsync(client, wallet, app.Time.GetUtcNow(), version: 1);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var contacts = (await listed.Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsArray();
        Assert.Equal("Ada Lovelace", contacts.Single()!["name"]!.GetValue<string>());
        await using var db = app.OpenDatabase();
        var organization = await db.Organizations.SingleAsync(o => o.Kind == OrganizationKind.Wallet);
        Assert.Equal(wallet.Address, organization.Name);
        Assert.Equal(wallet.Address, organization.WalletAddress);
        var payments = await db.Payments.OrderBy(p => p.Id).ToListAsync();
        Assert.Equal([20000L, 10000L], payments.Select(p => p.Amount));
        Assert.All(payments, p => Assert.Equal(organization.Id, p.OrganizationId));

        // The organization's usage counts the paid requests (they carry no key, so they are not in the key totals).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var caller = new Caller(organization.Id, CallerKind.Wallet, wallet.Address, ScopeSet.Full, Livemode: false);
            var usage = (await scope.ServiceProvider.GetRequiredService<UsageService>().ForOrganizationAsync(caller, null, null)).Value!;
            Assert.Equal((2L, 30000L), (usage.PaidRequests, usage.PaidAmount));
        }

        // Another wallet gets its own organization and sees none of the first one's contacts.
        using var stranger = await PaidRequests.PayAsync(client, new TestWallet(), app.Time.GetUtcNow());
        Assert.Empty((await stranger.Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsArray());
    }

    [Fact]
    public async Task Failed_settlement_releases_nothing_charges_nothing_and_provisions_nothing()
    {
        await using var app = await X402AppFactory.StartAsync();
        app.Facilitator.Settle = FakeFacilitator.SettleMode.Refuse;

        using var response = await PaidRequests.PayAsync(app.CreateClient(), new TestWallet(), app.Time.GetUtcNow(), method: HttpMethod.Post, body: new { name = "Unpaid" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired, "invalid_payment");
        Assert.Equal("insufficient_funds", problem.GetProperty("reason").GetString());
        Assert.DoesNotContain("Unpaid", problem.GetRawText());
        Assert.False(PaidRequests.DecodeHeader(response, "PAYMENT-RESPONSE")["success"]!.GetValue<bool>());
        await using var db = app.OpenDatabase();
        Assert.Empty(await db.Payments.ToListAsync());
        Assert.Empty(await db.Contacts.ToListAsync());
        Assert.Empty(await db.Organizations.Where(o => o.Kind == OrganizationKind.Wallet).ToListAsync());
    }

    [Fact]
    public async Task A_payment_the_facilitator_refuses_to_verify_is_not_used_up_and_may_be_sent_again()
    {
        await using var app = await X402AppFactory.StartAsync();
        var client = app.CreateClient();
        var (_, v2) = await PaidRequests.OffersAsync(client, HttpMethod.Get);
        var header = new TestWallet().Pay(2, v2["accepts"]![0]!.AsObject(), app.Time.GetUtcNow(), v2["resource"]!.AsObject());
        HttpRequestMessage Paid() => new(HttpMethod.Get, Contacts) { Headers = { { "PAYMENT-SIGNATURE", header } } };

        app.Facilitator.VerifyRefusal = "insufficient_funds";
        using var refused = await client.SendAsync(Paid());
        app.Facilitator.VerifyRefusal = null;
        using var retried = await client.SendAsync(Paid());

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired, "invalid_payment");
        Assert.Equal("insufficient_funds", problem.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1, app.Facilitator.CallsTo("settle"));
    }

    [Fact]
    public async Task A_failed_first_payment_keeps_the_organization_while_another_payment_of_the_wallet_is_in_flight()
    {
        await using var app = await X402AppFactory.StartAsync();
        app.Facilitator.Settle = FakeFacilitator.SettleMode.Refuse;
        var client = app.CreateClient(); // starts the app, which migrates the database
        var wallet = new TestWallet();
        // Another request of the same wallet has passed verification and holds its reservation.
        await using (var db = app.OpenDatabase())
        {
            db.PaymentNonces.Add(new Backside.Core.Payments.PaymentNonce
            {
                Key = $"84532:0x036cbd53842c5426634e7929541ec2318f3dcf7e:{wallet.Address.ToLowerInvariant()}:{new string('a', 64)}",
                ExpiresAt = app.Time.GetUtcNow().AddMinutes(1),
            });
            await db.SaveChangesAsync();
        }

        using var response = await PaidRequests.PayAsync(client, wallet, app.Time.GetUtcNow());

        await response.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired, "invalid_payment");
        await using var after = app.OpenDatabase();
        Assert.Equal(wallet.Address, (await after.Organizations.SingleAsync(o => o.Kind == OrganizationKind.Wallet)).WalletAddress);
    }

    [Theory]
    [InlineData(FakeFacilitator.SettleMode.Hang)]
    [InlineData(FakeFacilitator.SettleMode.Garbage)]
    public async Task Facilitator_trouble_during_settlement_is_a_502_and_the_handler_output_stays_held_back(FakeFacilitator.SettleMode mode)
    {
        await using var app = await X402AppFactory.StartAsync();
        app.Facilitator.Settle = mode;

        using var response = await PaidRequests.PayAsync(app.CreateClient(), new TestWallet(), app.Time.GetUtcNow());

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "facilitator_unavailable");
        Assert.False(response.Headers.Contains("PAYMENT-RESPONSE"));
        await using var db = app.OpenDatabase();
        Assert.Empty(await db.Payments.ToListAsync());
    }

    [Theory]
    [InlineData("PAYMENT-SIGNATURE", "not base64!", "malformed_base64")]
    [InlineData("PAYMENT-SIGNATURE", "e30=", "unsupported_version")]
    [InlineData("X-PAYMENT", "eyJ4NDAyVmVyc2lvbiI6MX0=", "missing_field")]
    public async Task Bad_payment_is_a_402_with_the_reason_and_fresh_requirements(string header, string value, string reason)
    {
        await using var app = await X402AppFactory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, Contacts);
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await app.CreateClient().SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired, "invalid_payment");
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal(reason, problem.GetProperty("error").GetString());
        Assert.Equal(reason, PaidRequests.DecodeHeader(response, "PAYMENT-REQUIRED")["error"]!.GetValue<string>());
        Assert.Equal(0, app.Facilitator.CallsTo("verify"));
    }

    [Fact]
    public async Task A_key_caller_takes_the_key_rail_on_a_priced_route_and_is_never_charged()
    {
        await using var app = await X402AppFactory.StartAsync();
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);
        client.DefaultRequestHeaders.Add("PAYMENT-SIGNATURE", "e30=");

        using var response = await client.GetAsync(Contacts);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("PAYMENT-RESPONSE"));
        Assert.Empty(app.Facilitator.Calls);
    }

    [Fact]
    public async Task Unpriced_routes_still_answer_401_without_credentials()
    {
        await using var app = await X402AppFactory.StartAsync();
        using var response = await app.CreateClient().GetAsync("/api/v1/contacts/con_0193");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_credentials");
    }
}
