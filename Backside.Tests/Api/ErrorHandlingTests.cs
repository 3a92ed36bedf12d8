using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

public class ErrorHandlingTests
{
    [Fact]
    public async Task Unexpected_failure_is_a_500_problem_without_internals()
    {
        await using var app = new BacksideAppFactory();
        using var failing = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddScoped<IApiKeyCredentialStore, BrokenStore>()));
        var client = failing.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", ApiKeyFormat.Generate(livemode: true));

        var response = await client.GetAsync("/api/v1/contacts");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "internal_error");
        Assert.DoesNotContain("database is on fire", problem.GetRawText());
    }

    private sealed class BrokenStore : IApiKeyCredentialStore
    {
        public ValueTask<ApiKeyLookup> FindBySecretHashAsync(byte[] secretHash, IPAddress? client, CancellationToken ct) =>
            throw new InvalidOperationException("The database is on fire.");
    }
}
