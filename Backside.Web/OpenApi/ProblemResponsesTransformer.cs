using System.Text.Json.Nodes;
using Backside.Web.Payments;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>Documents the problem+json answers every operation can give, with an example of each.</summary>
public sealed class ProblemResponsesTransformer(IOptions<X402Options> x402) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= new OpenApiResponses();
        var method = context.Description.HttpMethod ?? "GET";
        var path = context.Description.RelativePath ?? "";
        if (path.StartsWith("api/v1/auth/", StringComparison.Ordinal))
        {
            // Sessions are where credentials come from: no key needed, and failures are 400 or 401 with their own codes.
            operation.Security = [];
            Add(operation, 401, "`invalid_credentials`, `two_factor_required`, `invalid_two_factor_code`, `locked_out` (with `retry_after`), " +
                "`email_not_confirmed`; on refresh `invalid_refresh_token`, `refresh_token_expired`, `refresh_token_reused`.",
                "two_factor_required", "Sign-in failed", "This account uses two-factor authentication: send two_factor_code.");
            return Task.CompletedTask;
        }

        Add(operation, 400, "Invalid input: `validation_failed` (with `errors`) or `malformed_request`.", "validation_failed", "Validation failed",
            "The request has invalid fields.", new JsonObject { ["errors"] = new JsonObject { ["name"] = new JsonArray("name is required.") } });
        Add(operation, 401, "No key, or a bad one: `missing_credentials`, `invalid_api_key`, `api_key_revoked`, `api_key_expired`, `api_key_inactive`.",
            "api_key_revoked", "API key revoked", "This API key has been revoked. Create a new key in Settings > API Keys.");
        Add(operation, 403, "The key may not do this: `insufficient_scope` (with `required_scope`), `ip_not_allowed`, `referrer_not_allowed`, `privilege_escalation`.",
            "insufficient_scope", "Insufficient scope", "This action requires the contacts:write scope.",
            new JsonObject { ["required_scope"] = "contacts:write" });
        if (path.Contains('{'))
            Add(operation, 404, "No such object in the key's organization and mode.", "resource_not_found", "Not found", "No such API key.");
        if (method == "POST" && path.Contains("/{id}/"))
            Add(operation, 409, "The key is revoked and can no longer change.", "api_key_revoked", "Conflict", "This API key is revoked and cannot be rotated.");
        if (IsPriced(method, path))
            Add(operation, 402, "Priced with x402: a caller without a key or token gets the offers (v1 in this body's `accepts`, v2 in the " +
                "`PAYMENT-REQUIRED` header) and pays with `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1); a refused payment is " +
                "`invalid_payment` with `reason`. See the README.", "payment_required", "Payment required",
                "This request costs 0.01 USDC. Pay with x402 (PAYMENT-SIGNATURE or X-PAYMENT), or send an API key.",
                new JsonObject { ["x402Version"] = 1, ["error"] = "X-PAYMENT header is required", ["accepts"] = new JsonArray() });
        Add(operation, 429, "The key's per-minute budget is spent; see `Retry-After`.", "rate_limited", "Rate limit exceeded",
            "This API key may make 600 requests per minute. Try again in 12 seconds.", new JsonObject { ["retry_after"] = 12 });
        return Task.CompletedTask;
    }

    private bool IsPriced(string method, string path) =>
        x402.Value is { Enabled: true } options && options.Routes.Any(r =>
            string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.Pattern.Trim('/'), path.Trim('/'), StringComparison.OrdinalIgnoreCase));

    private static void Add(OpenApiOperation operation, int status, string description, string code, string title, string detail, JsonObject? extra = null)
    {
        var example = new JsonObject
        {
            ["type"] = $"urn:backside:problem:{code}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = code,
        };
        foreach (var (name, value) in extra ?? [])
            example[name] = value?.DeepClone();

        operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = ProblemSchema, Example = example },
            },
        };
    }

    private static readonly OpenApiSchema ProblemSchema = new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine-readable error code." },
        },
    };
}
