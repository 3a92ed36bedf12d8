using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>Request and response examples for the operations people try first.</summary>
public sealed class ExamplesTransformer : IOpenApiOperationTransformer
{
    private static readonly JsonObject KeyExample = new()
    {
        ["object"] = "api_key",
        ["id"] = "key_019aad5e4c3a7c1b9f2e8d7c6b5a4f3e",
        ["name"] = "CI deploy",
        ["hint"] = "bsk_live_a1B2…x9Yz",
        ["environment"] = "live",
        ["livemode"] = true,
        ["scopes"] = new JsonArray("contacts:read"),
        ["status"] = "active",
        ["rate_limit_per_minute"] = null,
        ["allowed_ips"] = new JsonArray("203.0.113.0/24"),
        ["allowed_referrers"] = new JsonArray(),
        ["created_at"] = "2026-11-23T12:00:00+00:00",
        ["created_by"] = "usr_019aad5e4c3a7c1b9f2e8d7c6b5a4f30",
        ["updated_at"] = null,
        ["expires_at"] = "2027-05-23T00:00:00+00:00",
        ["secret_created_at"] = "2026-11-23T12:00:00+00:00",
        ["previous_secret_expires_at"] = null,
        ["last_used_at"] = null,
        ["last_used_ip"] = null,
        ["revoked_at"] = null,
        ["created_by_former_member"] = false,
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = $"{context.Description.HttpMethod} {context.Description.RelativePath?.TrimEnd('/')}";
        switch (route)
        {
            case "POST api/v1/api-keys":
                SetRequestExample(operation, new JsonObject
                {
                    ["name"] = "CI deploy",
                    ["environment"] = "live",
                    ["scopes"] = new JsonArray("contacts:read"),
                    ["expires_at"] = "2027-05-23T00:00:00Z",
                    ["allowed_ips"] = new JsonArray("203.0.113.0/24"),
                });
                SetResponseExample(operation, "201", WithSecret(KeyExample));
                break;
            case "POST api/v1/api-keys/{id}/rotate":
                SetRequestExample(operation, new JsonObject { ["grace_period_seconds"] = 3600 });
                SetResponseExample(operation, "200", WithSecret(KeyExample));
                break;
            case "PATCH api/v1/api-keys/{id}":
                SetRequestExample(operation, new JsonObject { ["name"] = "CI deploy (prod)", ["rate_limit_per_minute"] = 120, ["expires_at"] = null });
                SetResponseExample(operation, "200", KeyExample);
                break;
            case "GET api/v1/api-keys/{id}":
                SetResponseExample(operation, "200", KeyExample);
                break;
            case "POST api/v1/contacts":
                SetRequestExample(operation, new JsonObject { ["name"] = "Ada Lovelace", ["email"] = "ada@example.com", ["company"] = "Analytical Engines" });
                break;
        }
        return Task.CompletedTask;
    }

    private static JsonObject WithSecret(JsonObject key)
    {
        var copy = (JsonObject)key.DeepClone();
        copy["key"] = "bsk_live_<43 characters, shown once>";
        return copy;
    }

    private static void SetRequestExample(OpenApiOperation operation, JsonNode example)
    {
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
            media.Example = example;
    }

    private static void SetResponseExample(OpenApiOperation operation, string status, JsonNode example)
    {
        if (operation.Responses?.TryGetValue(status, out var response) == true && response.Content?.TryGetValue("application/json", out var media) == true)
            media.Example = example.DeepClone();
    }
}
