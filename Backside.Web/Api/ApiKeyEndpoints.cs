using System.Security.Claims;
using Backside.Core.ApiKeys;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backside.Web.Api;

public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", Create).RequireScope(Scopes.ApiKeysWrite);
        keys.MapGet("/", List).RequireScope(Scopes.ApiKeysRead);
        keys.MapGet("/{id}", Get).RequireScope(Scopes.ApiKeysRead);
        keys.MapDelete("/{id}", Revoke).RequireScope(Scopes.ApiKeysWrite);
        return api;
    }

    static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> Create(
        CreateApiKeyRequest request, ClaimsPrincipal user, ApiKeyService keys, TimeProvider time, CancellationToken ct)
    {
        var result = await keys.CreateAsync(user.ToCaller(), request.ToCommand(), ct);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/api-keys/{result.Value!.Key.Id}", CreatedApiKeyResponse.From(result.Value, time.GetUtcNow()))
            : result.Error!.ToProblem();
    }

    static async Task<Results<Ok<ListResponse<ApiKeyResponse>>, ProblemHttpResult>> List(
        [AsParameters] ApiKeyListParameters parameters, ClaimsPrincipal user, ApiKeyService keys, TimeProvider time, CancellationToken ct)
    {
        var result = await keys.ListAsync(user.ToCaller(), parameters.ToQuery(), ct);
        if (!result.Succeeded)
            return result.Error!.ToProblem();
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ListResponse<ApiKeyResponse>(
            result.Value!.Data.Select(k => ApiKeyResponse.From(k, now)).ToList(), result.Value.HasMore));
    }

    static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal user, ApiKeyService keys, TimeProvider time, CancellationToken ct)
    {
        var result = await keys.GetAsync(user.ToCaller(), id, ct);
        return result.Succeeded ? TypedResults.Ok(ApiKeyResponse.From(result.Value!, time.GetUtcNow())) : result.Error!.ToProblem();
    }

    static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Revoke(
        string id, ClaimsPrincipal user, ApiKeyService keys, TimeProvider time, CancellationToken ct)
    {
        var result = await keys.RevokeAsync(user.ToCaller(), id, ct);
        return result.Succeeded ? TypedResults.Ok(ApiKeyResponse.From(result.Value!, time.GetUtcNow())) : result.Error!.ToProblem();
    }
}
