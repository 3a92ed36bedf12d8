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
        keys.MapPost("/", Create).RequireScope(Scopes.ApiKeysWrite).CarriesSecret();
        keys.MapGet("/", List).RequireScope(Scopes.ApiKeysRead);
        keys.MapGet("/{id}", Get).RequireScope(Scopes.ApiKeysRead);
        keys.MapPatch("/{id}", Update).RequireScope(Scopes.ApiKeysWrite);
        keys.MapPost("/{id}/rotate", Rotate).RequireScope(Scopes.ApiKeysWrite).CarriesSecret();
        keys.MapPost("/{id}/deactivate", Deactivate).RequireScope(Scopes.ApiKeysWrite).TakesNoBody();
        keys.MapPost("/{id}/activate", Activate).RequireScope(Scopes.ApiKeysWrite).TakesNoBody();
        keys.MapDelete("/{id}", Revoke).RequireScope(Scopes.ApiKeysWrite).TakesNoBody();
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
