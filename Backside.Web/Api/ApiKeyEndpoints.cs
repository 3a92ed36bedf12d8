using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Backside.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backside.Web.Api;

public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", Create).RequireScope(Scopes.ApiKeysWrite).CarriesSecret()
            .WithName("createApiKey").WithSummary("Create an API key")
            .WithDescription("Creates a key in the caller's organization and answers it with its raw `key`, which is shown this once and never again. A key can create only keys within its own power (403 `privilege_escalation`). The organization's plan caps how many keys may be active (409 `plan_limit_reached`) and how high `rate_limit_per_minute` may go (400).");
        keys.MapGet("/", List).RequireScope(Scopes.ApiKeysRead)
            .WithName("listApiKeys").WithSummary("List API keys")
            .WithDescription("The keys of the caller's organization and mode, newest first, with cursor paging. Revoked keys are listed only with `status=revoked`.");
        keys.MapGet("/{id}", Get).RequireScope(Scopes.ApiKeysRead)
            .WithName("getApiKey").WithSummary("Get an API key")
            .WithDescription("One key, never its secret.");
        keys.MapPatch("/{id}", Update).RequireScope(Scopes.ApiKeysWrite)
            .WithName("updateApiKey").WithSummary("Change an API key")
            .WithDescription("Changes only the fields sent: an absent field stays as it is, `null` clears it, a value sets it. A revoked key cannot be changed (409 `api_key_revoked`).");
        keys.MapPost("/{id}/rotate", Rotate).RequireScope(Scopes.ApiKeysWrite).CarriesSecret()
            .WithName("rotateApiKey").WithSummary("Rotate an API key's secret")
            .WithDescription("Issues a new secret for the same key (id, name, scopes and limits stay) and answers it as `key`, shown once. The old secret stops at once, or after `grace_period_seconds`. A revoked key cannot be rotated (409 `api_key_revoked`).");
        keys.MapPost("/{id}/deactivate", Deactivate).RequireScope(Scopes.ApiKeysWrite).TakesNoBody()
            .WithName("deactivateApiKey").WithSummary("Deactivate an API key")
            .WithDescription("Reversible: the key answers 401 `api_key_inactive` until it is activated again. A revoked key cannot be deactivated (409 `api_key_revoked`).");
        keys.MapPost("/{id}/activate", Activate).RequireScope(Scopes.ApiKeysWrite).TakesNoBody()
            .WithName("activateApiKey").WithSummary("Activate an API key")
            .WithDescription("Undoes a deactivation. A revoked key cannot be activated (409 `api_key_revoked`).");
        keys.MapDelete("/{id}", Revoke).RequireScope(Scopes.ApiKeysWrite).TakesNoBody()
            .WithName("revokeApiKey").WithSummary("Revoke an API key")
            .WithDescription("Revokes the key for good: its next request gets 401 `api_key_revoked`. Revoking a revoked key answers it unchanged.");
        return api;
    }

    static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> Create(
        CreateApiKeyRequest request, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct)
    {
        var result = await keys.CreateAsync(caller, request.ToCommand(), ct);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/api-keys/{result.Value.Key.Id}", CreatedApiKeyResponse.From(result.Value, time.GetUtcNow()))
            : result.Error.ToProblem();
    }

    static async Task<Results<Ok<ListResponse<ApiKeyResponse>>, ProblemHttpResult>> List(
        [AsParameters] ApiKeyListParameters parameters, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct)
    {
        var result = await keys.ListAsync(caller, parameters.ToQuery(), ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ListResponse<ApiKeyResponse>(
            result.Value.Data.Select(k => ApiKeyResponse.From(k, now)).ToList(), result.Value.HasMore));
    }

    static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Get(
        string id, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct) =>
        KeyResult(await keys.GetAsync(caller, id, ct), time);

    static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Update(
        string id, UpdateApiKeyRequest request, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct) =>
        KeyResult(await keys.UpdateAsync(caller, id, request.ToCommand(), ct), time);

    /// <summary>The body is optional: an empty POST rotates with no grace period.</summary>
    static async Task<Results<Ok<CreatedApiKeyResponse>, ProblemHttpResult>> Rotate(
        string id, RotateApiKeyRequest? request, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct)
    {
        var result = await keys.RotateAsync(caller, id, request?.GracePeriodSeconds, ct);
        return result.Succeeded ? TypedResults.Ok(CreatedApiKeyResponse.From(result.Value, time.GetUtcNow())) : result.Error.ToProblem();
    }

    static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Deactivate(
        string id, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct) =>
        KeyResult(await keys.DeactivateAsync(caller, id, ct), time);

    static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Activate(
        string id, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct) =>
        KeyResult(await keys.ActivateAsync(caller, id, ct), time);

    static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Revoke(
        string id, Caller caller, ApiKeyService keys, TimeProvider time, CancellationToken ct) =>
        KeyResult(await keys.RevokeAsync(caller, id, ct), time);

    private static Results<Ok<ApiKeyResponse>, ProblemHttpResult> KeyResult(OperationResult<ApiKey> result, TimeProvider time) =>
        result.Succeeded ? TypedResults.Ok(ApiKeyResponse.From(result.Value, time.GetUtcNow())) : result.Error.ToProblem();
}
