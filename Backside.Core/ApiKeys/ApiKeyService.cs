using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The key lifecycle. The dashboard and the REST API both call this, so the rules (who may create what, what a
/// revoked key means) live in one place.
/// </summary>
public sealed class ApiKeyService(BacksideDbContext db, TimeProvider time)
{
    public const int MaxGridPageSize = 100;

    public async Task<OperationResult<CreatedApiKey>> CreateAsync(Caller caller, CreateApiKeyCommand command, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.ApiKeysWrite))
            return OperationError.InsufficientScope(Scopes.ApiKeysWrite);

        var errors = new ValidationErrors();
        var name = errors.RequireText("name", command.Name, ApiKey.MaxNameLength);
        var livemode = ValidateEnvironment(errors, command.Environment, caller.Livemode);
        var scopes = ValidateScopes(errors, command.Scopes);
        var now = time.GetUtcNow();
        if (command.ExpiresAt <= now)
            errors.Add("expires_at", "expires_at must be in the future.");
        if (errors.Any)
            return errors.ToError();

        if (DeniedEscalation(caller, livemode, scopes, command.ExpiresAt) is { } denied)
            return denied;

        var secret = ApiKeyFormat.Generate(livemode);
        var key = new ApiKey
        {
            Id = EntityId.New(EntityId.ApiKeyPrefix, time),
            OrganizationId = caller.OrganizationId,
            Name = name!,
            Livemode = livemode,
            Scopes = scopes.Values?.ToList(),
            ExpiresAt = command.ExpiresAt,
            CreatedAt = now,
            CreatedBy = caller.ActorId,
            SecretHash = ApiKeyFormat.Hash(secret),
            Hint = ApiKeyFormat.Hint(secret),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(key, secret);
    }

    public async Task<OperationResult<ApiKey>> GetAsync(Caller caller, string id, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.ApiKeysRead))
            return OperationError.InsufficientScope(Scopes.ApiKeysRead);
        var key = await FindVisibleAsync(caller, id, ct);
        return key is null ? OperationError.NotFound("API key") : key;
    }

    public async Task<OperationResult<CursorPage<ApiKey>>> ListAsync(Caller caller, ApiKeyListQuery query, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.ApiKeysRead))
            return OperationError.InsufficientScope(Scopes.ApiKeysRead);

        var errors = new ValidationErrors();
        CursorPaging.Validate(errors, query.Limit, query.StartingAfter, EntityId.ApiKeyPrefix);
        ApiKeyStatus? status = null;
        if (query.Status is not null)
        {
            if (Enum.TryParse<ApiKeyStatus>(query.Status, ignoreCase: true, out var parsed) && !int.TryParse(query.Status, out _))
                status = parsed;
            else
                errors.Add("status", "status must be one of active, inactive, revoked, expired.");
        }
        bool? livemode = null;
        if (query.Environment is not null)
        {
            if (ApiKeyEnvironments.TryParse(query.Environment, out var parsed))
                livemode = parsed;
            else
                errors.Add("environment", "environment must be live or test.");
        }
        var search = errors.OptionalText("q", query.Search, ApiKey.MaxNameLength);
        if (errors.Any)
            return errors.ToError();

        var keys = Visible(caller);
        keys = status is null ? keys.Where(k => k.Status != ApiKeyStatus.Revoked) : WithStatus(keys, status.Value);
        if (livemode is not null)
            keys = keys.Where(k => k.Livemode == livemode);
        keys = Matching(keys, search);
        return await keys.AsNoTracking().ToCursorPageAsync(query.Limit, query.StartingAfter, ct);
    }

    /// <summary>Offset paging for the dashboard grid; the search, sort and page all run in the database.</summary>
    public async Task<ApiKeyGridPage> SearchAsync(Caller caller, ApiKeyGridQuery query, CancellationToken ct = default)
    {
        var keys = Visible(caller);
        if (!query.IncludeRevoked)
            keys = keys.Where(k => k.Status != ApiKeyStatus.Revoked);
        keys = Matching(keys, query.Search?.Trim());

        var total = await keys.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxGridPageSize);
        var items = await Sorted(keys, query.SortBy, query.Descending)
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .AsNoTracking()
            .ToListAsync(ct);
        return new ApiKeyGridPage(items, total);
    }

    /// <summary>Revokes for good. Idempotent: revoking a revoked key returns it unchanged.</summary>
    public async Task<OperationResult<ApiKey>> RevokeAsync(Caller caller, string id, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.ApiKeysWrite))
            return OperationError.InsufficientScope(Scopes.ApiKeysWrite);
        var key = await FindVisibleAsync(caller, id, ct);
        if (key is null)
            return OperationError.NotFound("API key");
        if (key.Status == ApiKeyStatus.Revoked)
            return key;

        key.Status = ApiKeyStatus.Revoked;
        key.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return key;
    }

    /// <summary>The organization's keys; a key caller sees only keys of its own mode, as with all data.</summary>
    private IQueryable<ApiKey> Visible(Caller caller)
    {
        var keys = db.ApiKeys.Where(k => k.OrganizationId == caller.OrganizationId);
        return caller.IsApiKey ? keys.Where(k => k.Livemode == caller.Livemode) : keys;
    }

    private Task<ApiKey?> FindVisibleAsync(Caller caller, string id, CancellationToken ct) =>
        EntityId.HasShape(id, EntityId.ApiKeyPrefix)
            ? Visible(caller).SingleOrDefaultAsync(k => k.Id == id, ct)
            : Task.FromResult<ApiKey?>(null);

    private IQueryable<ApiKey> WithStatus(IQueryable<ApiKey> keys, ApiKeyStatus status)
    {
        var now = time.GetUtcNow();
        return status switch
        {
            ApiKeyStatus.Expired => keys.Where(k => k.Status == ApiKeyStatus.Active && k.ExpiresAt != null && k.ExpiresAt <= now),
            ApiKeyStatus.Active => keys.Where(k => k.Status == ApiKeyStatus.Active && (k.ExpiresAt == null || k.ExpiresAt > now)),
            _ => keys.Where(k => k.Status == status),
        };
    }

    /// <summary>Case-insensitive match on the name, or on the hint (so a pasted prefix or last four find the key).</summary>
    private static IQueryable<ApiKey> Matching(IQueryable<ApiKey> keys, string? search)
    {
        if (string.IsNullOrEmpty(search))
            return keys;
        var pattern = $"%{LikePattern.Escape(search)}%";
        return keys.Where(k => EF.Functions.Like(k.Name, pattern, LikePattern.EscapeCharacter)
                            || EF.Functions.Like(k.Hint, pattern, LikePattern.EscapeCharacter));
    }

    private static IQueryable<ApiKey> Sorted(IQueryable<ApiKey> keys, ApiKeySortField field, bool descending)
    {
        var sorted = (field, descending) switch
        {
            (ApiKeySortField.Name, false) => keys.OrderBy(k => k.Name),
            (ApiKeySortField.Name, true) => keys.OrderByDescending(k => k.Name),
            (ApiKeySortField.LastUsedAt, false) => keys.OrderBy(k => k.LastUsedAt),
            (ApiKeySortField.LastUsedAt, true) => keys.OrderByDescending(k => k.LastUsedAt),
            (ApiKeySortField.Status, false) => keys.OrderBy(k => k.Status),
            (ApiKeySortField.Status, true) => keys.OrderByDescending(k => k.Status),
            (ApiKeySortField.Environment, false) => keys.OrderBy(k => k.Livemode),
            (ApiKeySortField.Environment, true) => keys.OrderByDescending(k => k.Livemode),
            (_, false) => keys.OrderBy(k => k.Id),
            (_, true) => keys.OrderByDescending(k => k.Id),
        };
        // Ids are time-ordered and unique: a stable tie-breaker keeps pages from overlapping.
        return sorted.ThenByDescending(k => k.Id);
    }

    private static bool ValidateEnvironment(ValidationErrors errors, string? environment, bool callerLivemode)
    {
        if (environment is null)
            return callerLivemode;
        if (ApiKeyEnvironments.TryParse(environment, out var livemode))
            return livemode;
        errors.Add("environment", "environment must be live or test.");
        return callerLivemode;
    }

    private static ScopeSet ValidateScopes(ValidationErrors errors, IReadOnlyList<string>? scopes)
    {
        if (scopes is null)
            return ScopeSet.Full;
        if (scopes.Count == 0)
            errors.Add("scopes", "scopes must name at least one scope, or be null for full access.");
        foreach (var unknown in scopes.Where(s => s is null || !Scopes.IsKnown(s)).Distinct())
            errors.Add("scopes", $"'{unknown}' is not a scope. Known scopes: {string.Join(", ", Scopes.All)}.");
        return ScopeSet.Of(scopes.Where(s => s is not null));
    }

    /// <summary>A key may never mint a key with more power than its own: more scopes, the other mode, or a longer life.</summary>
    private static OperationError? DeniedEscalation(Caller caller, bool livemode, ScopeSet scopes, DateTimeOffset? expiresAt)
    {
        if (caller.Scopes.FirstNotCovered(scopes) is { } missing)
            return OperationError.Forbidden("privilege_escalation", $"This caller cannot grant {missing}: a key can only create keys with scopes it holds itself.");
        if (!caller.IsApiKey)
            return null;
        if (livemode != caller.Livemode)
            return OperationError.Forbidden("privilege_escalation", $"A {(caller.Livemode ? "live" : "test")} key can only create {(caller.Livemode ? "live" : "test")} keys.");
        if (caller.KeyExpiresAt is { } limit && (expiresAt is null || expiresAt > limit))
            return OperationError.Forbidden("privilege_escalation", $"This key expires at {limit:O}; keys it creates must set expires_at no later than that.");
        return null;
    }
}
