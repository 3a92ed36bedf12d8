using System.Globalization;
using System.Text.Json.Nodes;
using Backside.Core.ApiKeys;
using Backside.Core.Organizations;
using Backside.Web.Api;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>One problem answer as <c>components/responses</c>: its status, the codes it carries, an example and its headers.</summary>
public sealed record ProblemResponse(string Name, int Status, string Description, JsonObject Example, params string[] Headers)
{
    public string StatusCode => Status.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The problem+json answers of the API: one shared <c>Problem</c> schema with every member <see cref="ApiProblem"/>
/// and the x402 402 write, and one response per status that every operation refers to. A component is added the
/// first time an operation refers to it, so the document holds none that nothing uses.
/// </summary>
public static class ProblemResponses
{
    public const string SchemaName = "Problem";
    public const string MediaType = "application/problem+json";

    private static readonly string[] Keyed = [ResponseHeaders.RateLimit, ResponseHeaders.RateLimitPolicy];

    public static readonly ProblemResponse BadRequest = new("BadRequest", StatusCodes.Status400BadRequest,
        "Refused input; nothing happened. `validation_failed`: a field is invalid, `errors` maps each snake_case field to its " +
        "messages. `malformed_request`: the body is not JSON of the right shape (unknown or duplicate members, wrong types), " +
        "or a parameter has the wrong type. `ambiguous_credentials`: an Authorization header next to X-API-Key or X-Api-Secret. " +
        "`invitation_invalid`: the invitation token is unknown, used, revoked or replaced; `invitation_expired`: it is past its expiry.",
        Example(400, "validation_failed", "Validation failed", "The request has invalid fields.",
            new JsonObject { ["errors"] = new JsonObject { ["name"] = new JsonArray("name is required.") } }), Keyed);

    public static readonly ProblemResponse Unauthorized = new("Unauthorized", StatusCodes.Status401Unauthorized,
        "No usable credential. `missing_credentials`: none was sent (on a priced route that is a 402 instead). `invalid_api_key`: " +
        "the key is malformed, has a bad checksum, does not exist, or its pair id does not match. `api_key_revoked`, " +
        "`api_key_expired`, `api_key_inactive`: the key was revoked, is past `expires_at`, is deactivated. `invalid_access_token`, " +
        "`access_token_expired`: a bearer token that is neither a key nor a valid, current access token. " +
        "`organization_membership_ended`: the person behind the access token no longer belongs to its organization (left or " +
        "removed). `session_ended`: a security change to the account (password, two-factor, lockout) ended the access token.",
        Example(401, "api_key_revoked", "API key revoked", "This API key has been revoked. Create a new key in Settings > API Keys."),
        [ResponseHeaders.WwwAuthenticate, .. Keyed]);

    public static readonly ProblemResponse SignInRefused = new("SignInRefused", StatusCodes.Status401Unauthorized,
        "Sign-in or refresh refused. Sign-in: `invalid_credentials`, `two_factor_required` (send `two_factor_code`), " +
        "`invalid_two_factor_code`, `locked_out` (with `retry_after`), `email_not_confirmed`. Refresh: `invalid_refresh_token`, " +
        "`refresh_token_expired`, `refresh_token_reused` (the session is ended), `session_expired`, `session_ended`, " +
        "`account_not_found`, `locked_out`, `organization_membership_ended`.",
        Example(401, "two_factor_required", "Sign-in failed", "This account uses two-factor authentication: send two_factor_code."));

    public static readonly ProblemResponse PaymentRequired = new("PaymentRequired", StatusCodes.Status402PaymentRequired,
        "Priced with x402, for a caller with no key and no access token. `payment_required`: no payment was sent; the offers " +
        "are in this body's `accepts` (v1) and in the PAYMENT-REQUIRED header (v2). `invalid_payment`: the payment was refused " +
        "or did not settle, `reason` says why (`malformed_base64`, `missing_field`, `invalid_signature`, `expired`, " +
        "`amount_mismatch`, `replay`, or the facilitator's reason); fresh offers come with it. Nothing was charged.",
        Example(402, "payment_required", "Payment required",
            "This request costs 0.01 USDC. Pay with x402 (PAYMENT-SIGNATURE or X-PAYMENT), or send an API key.",
            new JsonObject
            {
                ["x402Version"] = 1,
                ["error"] = "X-PAYMENT header is required",
                ["accepts"] = new JsonArray(new JsonObject
                {
                    ["scheme"] = "exact",
                    ["network"] = "base-sepolia",
                    ["maxAmountRequired"] = "10000",
                    ["resource"] = "https://api.example.com/api/v1/contacts",
                    ["description"] = "List contacts (paid per request)",
                    ["mimeType"] = "application/json",
                    ["payTo"] = "0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70",
                    ["maxTimeoutSeconds"] = 60,
                    ["asset"] = "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
                    ["extra"] = new JsonObject { ["name"] = "USDC", ["version"] = "2" },
                }),
            }), ResponseHeaders.PaymentRequired, ResponseHeaders.PaymentResponse);

    public static readonly ProblemResponse Forbidden = new("Forbidden", StatusCodes.Status403Forbidden,
        "The caller may not do this. `insufficient_scope`: the key lacks the scope, `required_scope` names it. `ip_not_allowed`, " +
        "`referrer_not_allowed`: the request comes from outside the key's allowlists. `privilege_escalation` (key writes): the " +
        "key tried to create or change a key beyond its own power, or a person a key beyond their role's scopes, `dimension` says " +
        "where. `insufficient_role` (people): the person's role lacks the right, `required_right` names it (an API key with " +
        "`members:write` or `organization:write` acts as an Admin, never with the Owner-only rights). `two_factor_required` " +
        "(people managing keys): the organization requires two-factor sign-in to manage keys and the person has not turned it " +
        "on (Account > Two-factor authentication). `invitation_email_mismatch`: the invitation is for another address than the " +
        "account's confirmed one. `live_key_required`: a test key tried to change members, invitations or the organization, " +
        "which are not test data. `user_required`: only a signed-in person (an access token) may do this. `forbidden`: any " +
        "other refusal.",
        Example(403, "insufficient_scope", "Insufficient scope", "This action requires the contacts:write scope.",
            new JsonObject { ["required_scope"] = "contacts:write" }), Keyed);

    public static readonly ProblemResponse NotFound = new("NotFound", StatusCodes.Status404NotFound,
        "`resource_not_found`: no such object in the caller's organization and mode (live or test); a member of another organization is not found either.",
        Example(404, "resource_not_found", "Not found", "No such API key."), Keyed);

    public static readonly ProblemResponse MethodNotAllowed = new("MethodNotAllowed", StatusCodes.Status405MethodNotAllowed,
        "`method_not_allowed`: this path exists, but not with the method sent; `Allow` lists the methods it has.",
        Example(405, "method_not_allowed", "Method Not Allowed", detail: null), [ResponseHeaders.Allow, .. Keyed]);

    public static readonly ProblemResponse Conflict = new("Conflict", StatusCodes.Status409Conflict,
        "`api_key_revoked`: a revoked key cannot be rotated, activated, deactivated or changed. Invitations: `already_member`, " +
        "`invitation_pending` (resend it instead), `too_many_invitations`, `invitation_not_pending` (accepted or revoked), " +
        "`resend_too_soon` (once a minute), `too_many_invitation_mails` (3 an hour to one address, 50 an hour from one sender). " +
        "`plan_limit_reached`: the organization already has as many keys that are not " +
        "revoked as its plan allows (the detail names the plan and the number); revoke one, or move to a larger plan. " +
        "`last_owner`: the organization's last Owner cannot be demoted, removed or leave; make another member an Owner (or " +
        "transfer ownership) first. `personal_organization`: a personal organization cannot be deleted, and its own Owner " +
        "cannot leave it. `write_conflict`: other changes to the organization were saved at the same moment, ten times in a " +
        "row; nothing was changed, try again.",
        Example(409, "api_key_revoked", "Conflict", "This API key is revoked and cannot be rotated. Create a new key instead."), Keyed);

    public static readonly ProblemResponse PayloadTooLarge = new("PayloadTooLarge", StatusCodes.Status413PayloadTooLarge,
        "`payload_too_large`: the body is larger than `Api:MaxBodyBytes` (64 KB by default), refused from its Content-Length " +
        "before it is read, or once a body sent without one passes the cap.",
        Example(413, "payload_too_large", "Payload too large", "The request body may be at most 65536 bytes."));

    public static readonly ProblemResponse UnsupportedMediaType = new("UnsupportedMediaType", StatusCodes.Status415UnsupportedMediaType,
        "`unsupported_media_type`: the body is not `application/json`, or its Content-Type names a charset other than utf-8.",
        Example(415, "unsupported_media_type", "Unsupported media type",
            "Send the request body as UTF-8 JSON: Content-Type application/json, without a charset or with charset=utf-8."), Keyed);

    public static readonly ProblemResponse TooManyRequests = new("TooManyRequests", StatusCodes.Status429TooManyRequests,
        "`rate_limited`, with `retry_after` (also in Retry-After): the key's per-minute budget is spent (then `limit`, " +
        "`limit_source` and `plan` say which limit), or this address's budget of unknown keys, of x402 payments to verify " +
        "(priced routes) or of sign-ins (`/auth`).",
        Example(429, "rate_limited", "Rate limit exceeded",
            "This key's limit of 600 requests per minute (the Free plan's default) was reached. Try again in 12 seconds.",
            new JsonObject { ["retry_after"] = 12, ["limit"] = 600, ["limit_source"] = "plan_default", ["plan"] = "Free" }),
        [ResponseHeaders.RetryAfter, .. Keyed]);

    public static readonly ProblemResponse InternalError = new("InternalError", StatusCodes.Status500InternalServerError,
        "`internal_error`: our fault; no internals are shown. The request may be retried.",
        Example(500, "internal_error", "Internal error", "Something went wrong on our side. The request may be retried."), Keyed);

    public static readonly ProblemResponse BadGateway = new("BadGateway", StatusCodes.Status502BadGateway,
        "`facilitator_unavailable`: the x402 facilitator could not be reached, timed out or answered nonsense; nothing was charged.",
        Example(502, "facilitator_unavailable", "Payment facilitator unavailable",
            "The facilitator did not answer in time. Nothing was charged; try again shortly."));

    public static readonly ProblemResponse ServiceUnavailable = new("ServiceUnavailable", StatusCodes.Status503ServiceUnavailable,
        "`database_unavailable`: the database could not be reached; retry in a few seconds.",
        Example(503, "database_unavailable", "Database unavailable", "The database could not be reached. Retry in a few seconds."), Keyed);

    /// <summary>A reference to the response, added (with the Problem schema and its headers) to components on first use.</summary>
    public static IOpenApiResponse Reference(this ProblemResponse problem, OpenApiDocument document)
    {
        var components = document.Components ??= new OpenApiComponents();
        components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        if (!components.Responses.ContainsKey(problem.Name))
        {
            var response = new OpenApiResponse
            {
                Description = problem.Description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [MediaType] = new() { Schema = SchemaReference(document), Example = problem.Example.DeepClone() },
                },
            };
            ResponseHeaders.AddTo(response, document, problem.Headers);
            document.AddComponent<IOpenApiResponse>(problem.Name, response);
        }
        return new OpenApiResponseReference(problem.Name, document);
    }

    private static OpenApiSchemaReference SchemaReference(OpenApiDocument document)
    {
        var components = document.Components!;
        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!components.Schemas.ContainsKey(SchemaName))
            document.AddComponent<IOpenApiSchema>(SchemaName, Schema());
        return new OpenApiSchemaReference(SchemaName, document);
    }

    private static JsonObject Example(int status, string code, string title, string? detail, JsonObject? extra = null)
    {
        var example = new JsonObject { ["type"] = ApiProblem.TypeFor(code), ["title"] = title, ["status"] = status };
        if (detail is not null)
            example["detail"] = detail;
        example[ApiProblem.CodeKey] = code;
        example[ApiProblem.TraceIdKey] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        foreach (var (name, value) in extra ?? [])
            example[name] = value?.DeepClone();
        return example;
    }

    private static OpenApiSchema String(string description) => new() { Type = JsonSchemaType.String, Description = description };

    /// <summary>RFC 9457's members, Backside's <c>code</c> and <c>trace_id</c>, and the extensions some codes carry.</summary>
    private static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem with a stable machine `code`. The members after `trace_id` appear with the codes " +
            "that name them; a client should ignore members it does not know.",
        Required = new HashSet<string> { "type", "title", "status", ApiProblem.CodeKey, ApiProblem.TraceIdKey },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = String("`urn:backside:problem:` followed by the code."),
            ["title"] = String("A short summary for people; may change, branch on `code` instead."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "400", Maximum = "599", Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "What went wrong and what to do, for people.",
                // Kiota makes this the generated exception's Message, so a caller's logs say what went wrong.
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-ms-primary-error-message"] = new JsonNodeExtension(true) },
            },
            ["instance"] = String("The request that failed, when given."),
            [ApiProblem.CodeKey] = String("Stable machine-readable error code; the response's description lists the codes it can carry."),
            [ApiProblem.TraceIdKey] = String("The request's W3C trace id, for support and the logs."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "`validation_failed`: the messages for each snake_case field (at most 20 in all; `detail` says how many more).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            [ApiProblem.RequiredScopeKey] = String("`insufficient_scope`: the scope the action needs, such as `contacts:write`."),
            [ApiProblem.RetryAfterKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Minimum = "0",
                Description = "`rate_limited` and `locked_out`: seconds until a request may succeed (as Retry-After on a 429).",
            },
            [ApiProblem.LimitKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Minimum = "1",
                Description = "`rate_limited` by a key's budget: the requests per minute the key may make, the limit that was hit.",
            },
            [ApiProblem.LimitSourceKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "`rate_limited` by a key's budget: where `limit` comes from: the key's own `rate_limit_per_minute` " +
                    "(`key`), its plan's default for keys that set none (`plan_default`), or its plan's maximum, below the key's own (`plan_maximum`).",
                Enum = RateLimitSources.Names.Select(s => (JsonNode)JsonValue.Create(s)).ToList(),
            },
            [ApiProblem.PlanKey] = String("`rate_limited` by a key's budget: the organization's plan (account tier), such as `Free`."),
            [ApiProblem.DimensionKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "`privilege_escalation`: the first dimension of the key's power that reaches too far.",
                Enum = PowerDimensions.All.Select(d => (JsonNode)JsonValue.Create(d)).ToList(),
            },
            [ApiProblem.RequiredRightKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "`insufficient_role`: the right the person's role lacks (README: Roles).",
                Enum = OrganizationRoles.RightNames.Select(r => (JsonNode)JsonValue.Create(r)).ToList(),
            },
            [ApiProblem.ReasonKey] = String("`invalid_payment`: why the payment was refused or did not settle."),
            [ApiProblem.X402VersionKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Description = "402 only: the x402 version of `error` and `accepts` (1; v2 is in the PAYMENT-REQUIRED header).",
            },
            [ApiProblem.X402ErrorKey] = String("402 only: the x402 v1 error message."),
            [ApiProblem.X402AcceptsKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "402 only: the x402 v1 offers, one per network; pay one of them with an X-PAYMENT header.",
                Items = OfferSchema(),
            },
        },
    };

    private static OpenApiSchema OfferSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "scheme", "network", "maxAmountRequired", "resource", "payTo", "maxTimeoutSeconds", "asset" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["scheme"] = String("`exact`."),
            ["network"] = String("The v1 network name, such as `base-sepolia` or `base`."),
            ["maxAmountRequired"] = String("The price in the asset's atomic units (USDC: millionths), as a decimal string."),
            ["resource"] = String("The URL being paid for."),
            ["description"] = String("What the payment buys."),
            ["mimeType"] = String("The media type of the paid response."),
            ["payTo"] = String("The address the payment goes to."),
            ["maxTimeoutSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "How long a signed payment may take to settle." },
            ["asset"] = String("The token contract (USDC)."),
            ["extra"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The token's EIP-712 domain name and version.",
                Properties = new Dictionary<string, IOpenApiSchema> { ["name"] = String("Domain name."), ["version"] = String("Domain version.") },
            },
        },
    };
}
