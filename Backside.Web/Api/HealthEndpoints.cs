using Backside.Core.ApiKeys;
using Backside.Core.Data;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backside.Web.Api;

public sealed record PingResponse(bool Ok);

/// <param name="DatabaseCommands">SQL commands sent since start.</param>
/// <param name="AllocatedBytes">Bytes the process has allocated since start (all threads), for allocations per request.</param>
/// <param name="UnknownKeysRemembered">Unknown keys in their bounded cache now.</param>
public sealed record CountersResponse(long DatabaseCommands, long AllocatedBytes, int UnknownKeysRemembered);

/// <summary>
/// A cheap endpoint twice: <c>/health</c> for anyone, <c>/api/v1/ping</c> behind a key and a scope check. Same
/// handler, so a benchmark of the two measures exactly what authentication costs.
/// </summary>
public static class HealthEndpoints
{
    public const string CountersSetting = "Diagnostics:ExposeCounters";

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/health", Ping).ExcludeFromDescription();
        app.MapGroup(ApiRoutes.V1).RequireAuthorization(ScopePolicies.ApiCaller)
            .MapGet("/ping", Ping).WithTags("Health").RequireScope(Scopes.ContactsRead)
            .WithName("ping").WithSummary("Check a key")
            .WithDescription("A cheap keyed endpoint: answers `{\"ok\": true}` for a key with `contacts:read`. The same handler as the anonymous `GET /health`, so comparing the two measures what authentication costs.");
        // Off unless configured: the benchmark reads it to prove keyed requests send no SQL.
        if (app.Configuration.GetValue<bool>(CountersSetting))
            app.MapGet("/internal/counters", (DatabaseCommandCounter counter, CachedApiKeyCredentialStore credentials) =>
                TypedResults.Ok(new CountersResponse(counter.Count, GC.GetTotalAllocatedBytes(), credentials.RememberedUnknownKeys))).ExcludeFromDescription();
        return app;
    }

    static Ok<PingResponse> Ping() => TypedResults.Ok(new PingResponse(true));
}
