using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The key lifecycle. The dashboard and the REST API both call this, so the rules (who may do what, what each state
/// means) live in one place, and every change is written together with its audit event. A key caller may create or
/// change only keys its own power covers (<see cref="ApiKeyPower"/>); people act with their role's rights.
/// </summary>
public sealed class ApiKeyService(
    BacksideDbContext db, AuditTrail audit, IApiKeyCacheInvalidator cache, OrganizationPlanService plans,
    TimeProvider time, ISecurityNotifier notifier)
{
    public const int MaxGridPageSize = 100;

    /// <summary>
    /// Two writers racing (on one organization's audit chain, or on one key's version): one wins, the other retries on
    /// what the winner wrote.
    /// </summary>
    private const int MaxWriteAttempts = 10;

    public Task<OperationResult<CreatedApiKey>> CreateAsync(Caller caller, CreateApiKeyCommand command, CancellationToken ct = default) =>
        AuditedAsync<CreatedApiKey>(caller, async () =>
        {
            if (!caller.Scopes.Allows(Scopes.ApiKeysWrite))
                return OperationError.InsufficientScope(Scopes.ApiKeysWrite);
            var acting = await ActingPowerAsync(caller, ct);
            if (!acting.Succeeded)
                return acting.Error;
            if (await ActiveKeyLimitReachedAsync(caller, ct) is { } limitReached)
                return limitReached;

            var now = time.GetUtcNow();
            var errors = new ValidationErrors();
            var name = errors.RequireText("name", command.Name, ApiKey.MaxNameLength);
            var livemode = ValidateEnvironment(errors, command.Environment, caller.Livemode);
            var scopes = ValidateScopes(errors, command.Scopes);
            ValidateExpiry(errors, command.ExpiresAt, now, livemode, acting.Value.Policy);
            ValidateRateLimit(errors, command.RateLimitPerMinute, Plan);
            var allowedIps = ApiKeyRestrictions.NormalizeIps(errors, command.AllowedIps);
            var allowedReferrers = ApiKeyRestrictions.NormalizeReferrers(errors, command.AllowedReferrers);
            if (errors.Any)
                return errors.ToError();
            var power = new ApiKeyPower(scopes, livemode, command.ExpiresAt, ApiKeyRestrictions.ParseNetworks(allowedIps),
                allowedReferrers, command.RateLimitPerMinute ?? DefaultRateLimit);
            if (acting.Value.Denies(power) is { } denied)
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
                RateLimitPerMinute = command.RateLimitPerMinute,
                AllowedIps = allowedIps,
                AllowedReferrers = allowedReferrers,
                CreatedAt = now,
                CreatedBy = caller.ActorId,
                SecretHash = ApiKeyFormat.Hash(secret),
                SecretCreatedAt = now,
                Hint = ApiKeyFormat.Hint(secret),
            };
            db.ApiKeys.Add(key);
            var changes = new ChangeSet()
                .Track("name", (string?)null, key.Name)
                .Track("environment", (string?)null, key.Environment)
                .Track("hint", (string?)null, key.Hint)
                .Note("scopes", key.Scopes)
                .Track("expires_at", null, key.ExpiresAt)
                .Track("rate_limit_per_minute", null, key.RateLimitPerMinute)
                .Track("allowed_ips", [], key.AllowedIps)
                .Track("allowed_referrers", [], key.AllowedReferrers);
            await audit.AppendAsync(caller, AuditActions.ApiKeyCreated, key.Id, key.Livemode, changes, ct);
            await audit.SaveAsync(ct);
            // A new live key reaches live data: the Owners hear of it, whoever made it.
            if (key.Livemode)
                notifier.NotifyOwners(caller.OrganizationId, SecurityNotice.LiveApiKeyCreated(key, caller));
            return new CreatedApiKey(key, secret);
        }, ct);

    public async Task<OperationResult<ApiKey>> GetAsync(Caller caller, string id, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.ApiKeysRead))
            return OperationError.InsufficientScope(Scopes.ApiKeysRead);
        var key = await FindVisibleAsync(caller, id, ct);
        if (key is null)
            return OperationError.NotFound("API key");
        await MarkFormerMembersKeysAsync([key], ct);
        return key;
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
            if (ParseStatus(query.Status) is { } parsed)
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

        var keys = db.ApiKeys.VisibleTo(caller);
        keys = status is null ? keys.Where(k => k.Status != ApiKeyStatus.Revoked) : WithStatus(keys, status.Value);
        if (livemode is not null)
            keys = keys.Where(k => k.Livemode == livemode);
        keys = Matching(keys, search);
        var page = await keys.AsNoTracking().ToCursorPageAsync(query.Limit, query.StartingAfter, ct);
        await MarkFormerMembersKeysAsync(page.Data, ct);
        return page;
    }

    /// <summary>Offset paging for the dashboard grid; the filters, search, sort and page all run in the database.</summary>
    public async Task<ApiKeyGridPage> SearchAsync(Caller caller, ApiKeyGridQuery query, CancellationToken ct = default)
    {
        var keys = db.ApiKeys.VisibleTo(caller);
        if (query.Status is { } status)
            keys = WithStatus(keys, status);
        else if (!query.IncludeRevoked)
            keys = keys.Where(k => k.Status != ApiKeyStatus.Revoked);
        if (query.Livemode is { } livemode)
            keys = keys.Where(k => k.Livemode == livemode);
        keys = Matching(keys, query.Search?.Trim());

        var total = await keys.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxGridPageSize);
        var items = await Sorted(keys, query.SortBy, query.Descending)
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .AsNoTracking()
            .ToListAsync(ct);
        await MarkFormerMembersKeysAsync(items, ct);
        return new ApiKeyGridPage(items, total);
    }

    /// <summary>PATCH: changes only the fields the command carries. A change that changes nothing writes no event.</summary>
    public Task<OperationResult<ApiKey>> UpdateAsync(Caller caller, string id, UpdateApiKeyCommand command, CancellationToken ct = default) =>
        MutateAsync(caller, id, async (key, acting) =>
        {
            if (key.Status == ApiKeyStatus.Revoked)
                return RevokedConflict("changed");
            var now = time.GetUtcNow();
            var errors = new ValidationErrors();
            var name = command.Name.HasValue ? errors.RequireText("name", command.Name.Value, ApiKey.MaxNameLength) : key.Name;
            var scopes = command.Scopes.HasValue ? ValidateScopes(errors, command.Scopes.Value) : ScopeSet.FromStored(key.Scopes);
            if (command.ExpiresAt.HasValue)
                ValidateExpiry(errors, command.ExpiresAt.Value, now, key.Livemode, acting.Policy);
            if (command.RateLimitPerMinute.HasValue)
                ValidateRateLimit(errors, command.RateLimitPerMinute.Value, Plan);
            var allowedIps = command.AllowedIps.HasValue ? ApiKeyRestrictions.NormalizeIps(errors, command.AllowedIps.Value) : key.AllowedIps;
            var allowedReferrers = command.AllowedReferrers.HasValue ? ApiKeyRestrictions.NormalizeReferrers(errors, command.AllowedReferrers.Value) : key.AllowedReferrers;
            if (errors.Any)
                return errors.ToError();
            var expiresAt = command.ExpiresAt.Or(key.ExpiresAt);
            var rateLimit = command.RateLimitPerMinute.Or(key.RateLimitPerMinute);
            // The key as it would be after the change must still be within the caller's power.
            var power = new ApiKeyPower(scopes, key.Livemode, expiresAt, ApiKeyRestrictions.ParseNetworks(allowedIps),
                allowedReferrers, rateLimit ?? DefaultRateLimit);
            if (acting.Denies(power) is { } denied)
                return denied;

            var changes = new ChangeSet()
                .Track("name", key.Name, name)
                .Track("scopes", key.Scopes, scopes.Values?.ToList())
                .Track("rate_limit_per_minute", key.RateLimitPerMinute, rateLimit)
                .Track("expires_at", key.ExpiresAt, expiresAt)
                .Track("allowed_ips", key.AllowedIps, allowedIps)
                .Track("allowed_referrers", key.AllowedReferrers, allowedReferrers);
            if (changes.IsEmpty)
                return key;

            key.Name = name!;
            key.Scopes = scopes.Values?.ToList();
            key.RateLimitPerMinute = rateLimit;
            key.ExpiresAt = expiresAt;
            key.AllowedIps = allowedIps;
            key.AllowedReferrers = allowedReferrers;
            key.Touch(now);
            return await SaveAsync(caller, AuditActions.ApiKeyUpdated, key, changes, ct);
        }, ct);

    /// <summary>
    /// A new secret for the same key (id, name, scopes, limits and audit trail stay). The old secret stops at once,
    /// or keeps working for <paramref name="gracePeriodSeconds"/> so deployments can switch over.
    /// </summary>
    public Task<OperationResult<CreatedApiKey>> RotateAsync(Caller caller, string id, int? gracePeriodSeconds, CancellationToken ct = default) =>
        AuditedAsync<CreatedApiKey>(caller, async () =>
        {
            if (!caller.Scopes.Allows(Scopes.ApiKeysWrite))
                return OperationError.InsufficientScope(Scopes.ApiKeysWrite);
            var grace = gracePeriodSeconds ?? 0;
            if (grace is < 0 or > ApiKeyLimits.MaxGracePeriodSeconds)
                return OperationError.Invalid(new Dictionary<string, string[]>
                {
                    ["grace_period_seconds"] = [$"grace_period_seconds must be between 0 and {ApiKeyLimits.MaxGracePeriodSeconds}."],
                });
            var acting = await ActingPowerAsync(caller, ct);
            if (!acting.Succeeded)
                return acting.Error;
            var key = await FindVisibleAsync(caller, id, ct);
            if (key is null)
                return OperationError.NotFound("API key");
            if (acting.Value.Denies(ApiKeyPower.Of(key, DefaultRateLimit)) is { } denied)
                return denied;
            if (key.Status == ApiKeyStatus.Revoked)
                return RevokedConflict("rotated");

            var now = time.GetUtcNow();
            byte[]?[] cachedUnder = [key.SecretHash, key.PreviousSecretHash];
            var secret = ApiKeyFormat.Generate(key.Livemode);
            var changes = new ChangeSet()
                .Track("hint", key.Hint, ApiKeyFormat.Hint(secret))
                .Note("grace_period_seconds", grace);
            key.PreviousSecretHash = grace > 0 ? key.SecretHash : null;
            key.PreviousSecretExpiresAt = grace > 0 ? now.AddSeconds(grace) : null;
            key.SecretHash = ApiKeyFormat.Hash(secret);
            key.SecretCreatedAt = now;
            key.Hint = ApiKeyFormat.Hint(secret);
            key.Touch(now);
            await audit.AppendAsync(caller, AuditActions.ApiKeyRotated, key.Id, key.Livemode, changes, ct);
            await audit.SaveAsync(ct);
            // Committed: the cache must forget the old secret even if the client has gone away meanwhile.
            await cache.InvalidateAsync(cachedUnder, CancellationToken.None);
            await MarkFormerMembersKeysAsync([key], CancellationToken.None);
            return new CreatedApiKey(key, secret);
        }, ct);

    /// <summary>Reversible: the key answers 401 <c>api_key_inactive</c> until activated again.</summary>
    public Task<OperationResult<ApiKey>> DeactivateAsync(Caller caller, string id, CancellationToken ct = default) =>
        ChangeStatusAsync(caller, id, ApiKeyStatus.Inactive, AuditActions.ApiKeyDeactivated, ct);

    public Task<OperationResult<ApiKey>> ActivateAsync(Caller caller, string id, CancellationToken ct = default) =>
        ChangeStatusAsync(caller, id, ApiKeyStatus.Active, AuditActions.ApiKeyActivated, ct);

    /// <summary>Revokes for good. Idempotent: revoking a revoked key returns it unchanged.</summary>
    public Task<OperationResult<ApiKey>> RevokeAsync(Caller caller, string id, CancellationToken ct = default) =>
        MutateAsync(caller, id, async (key, _) =>
        {
            if (key.Status == ApiKeyStatus.Revoked)
                return (OperationResult<ApiKey>)key;
            var now = time.GetUtcNow();
            var changes = new ChangeSet().Track("status", key.Status, ApiKeyStatus.Revoked);
            key.Status = ApiKeyStatus.Revoked;
            key.RevokedAt = now;
            key.Touch(now);
            key.PreviousSecretHash = null;
            key.PreviousSecretExpiresAt = null;
            return await SaveAsync(caller, AuditActions.ApiKeyRevoked, key, changes, ct);
        }, ct);

    private Task<OperationResult<ApiKey>> ChangeStatusAsync(Caller caller, string id, ApiKeyStatus target, string action, CancellationToken ct) =>
        MutateAsync(caller, id, async (key, _) =>
        {
            if (key.Status == ApiKeyStatus.Revoked)
                return RevokedConflict(target == ApiKeyStatus.Active ? "activated" : "deactivated");
            if (key.Status == target)
                return key;
            var changes = new ChangeSet().Track("status", key.Status, target);
            key.Status = target;
            key.Touch(time.GetUtcNow());
            return await SaveAsync(caller, action, key, changes, ct);
        }, ct);

    /// <summary>
    /// Loads a key the caller may change (one within its power), runs <paramref name="change"/>, and retries when a
    /// concurrent write won the race (the retry loads what it wrote, so a revoke sees a rotation and vice versa).
    /// </summary>
    private Task<OperationResult<ApiKey>> MutateAsync(
        Caller caller, string id, Func<ApiKey, ActingPower, Task<OperationResult<ApiKey>>> change, CancellationToken ct) =>
        AuditedAsync<ApiKey>(caller, async () =>
        {
            if (!caller.Scopes.Allows(Scopes.ApiKeysWrite))
                return OperationError.InsufficientScope(Scopes.ApiKeysWrite);
            var acting = await ActingPowerAsync(caller, ct);
            if (!acting.Succeeded)
                return acting.Error;
            var key = await FindVisibleAsync(caller, id, ct);
            if (key is null)
                return OperationError.NotFound("API key");
            if (acting.Value.Denies(ApiKeyPower.Of(key, DefaultRateLimit)) is { } denied)
                return denied;
            var result = await change(key, acting.Value);
            if (result.Succeeded)
                await MarkFormerMembersKeysAsync([result.Value], CancellationToken.None);
            return result;
        }, ct);

    /// <summary>
    /// Writes the change with its audit event, then drops the key's cached credential, so that the very next request
    /// sees the change (a revoked key is refused, narrowed scopes apply).
    /// </summary>
    private async Task<OperationResult<ApiKey>> SaveAsync(Caller caller, string action, ApiKey key, ChangeSet changes, CancellationToken ct)
    {
        byte[]?[] cachedUnder = [key.SecretHash, OriginalPreviousHash(key)];
        await audit.AppendAsync(caller, action, key.Id, key.Livemode, changes, ct);
        await audit.SaveAsync(ct);
        // Committed: the cache must forget the key even if the client has gone away meanwhile.
        await cache.InvalidateAsync(cachedUnder, CancellationToken.None);
        return key;
    }

    /// <summary>A revoke clears the previous secret; its cache entry must go too, so read what was loaded.</summary>
    private byte[]? OriginalPreviousHash(ApiKey key) =>
        db.Entry(key).Property(k => k.PreviousSecretHash).OriginalValue;

    /// <summary>
    /// Runs a write to the caller's organization chain. On PostgreSQL it holds the chain's head lock from the first
    /// read, so concurrent writers (on any instance) wait their turn and read what the one before wrote. Otherwise,
    /// and as the fallback, it runs again from a fresh read when another write won the race; writers that keep
    /// colliding back off for a random few milliseconds, so they stop arriving together. One that loses every time
    /// gets 409 <c>write_conflict</c> (try again), never a 500.
    /// </summary>
    private async Task<OperationResult<T>> AuditedAsync<T>(Caller caller, Func<Task<OperationResult<T>>> operation, CancellationToken ct)
    {
        // Read for every write: one service may serve writes to several organizations (a dashboard circuit's scope).
        plan = await plans.ForOrganizationAsync(caller.OrganizationId, ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Disposed (rolled back if not committed) before a retry: PostgreSQL aborts a transaction on an error.
                await using var chainWrite = await audit.BeginChainWriteAsync(caller.OrganizationId, ct);
                return await operation();
            }
            catch (DbUpdateException ex) when (IsLostRace(ex) && !ct.IsCancellationRequested)
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxWriteAttempts)
                    return OperationError.Conflict("write_conflict", "Other changes to this organization were being saved at the same moment. Try again.");
                // Wall-clock on purpose: a pause between attempts, not the app's notion of time.
                await Task.Delay(Random.Shared.Next(1, 4 * attempt + 1), ct);
            }
        }
    }

    /// <summary>Another write to this key (its version) or to the organization's audit chain committed first.</summary>
    private bool IsLostRace(DbUpdateException ex) => ex is DbUpdateConcurrencyException || audit.IsChainConflict(ex);

    private static OperationError RevokedConflict(string verb) =>
        OperationError.Conflict("api_key_revoked", $"This API key is revoked and cannot be {verb}. Create a new key instead.");

    private Task<ApiKey?> FindVisibleAsync(Caller caller, string id, CancellationToken ct) =>
        EntityId.HasShape(id, EntityId.ApiKeyPrefix)
            ? db.ApiKeys.VisibleTo(caller).SingleOrDefaultAsync(k => k.Id == id, ct)
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
    private IQueryable<ApiKey> Matching(IQueryable<ApiKey> keys, string? search) =>
        string.IsNullOrEmpty(search) ? keys : keys.WhereAnyContains(db.Database, search, k => k.Name, k => k.Hint);

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

    /// <summary>
    /// A status by its name in any casing, and nothing else: <c>Enum.TryParse</c> also reads numbers, padded names and
    /// comma lists as flags, so <c>inactive,revoked</c> (1 | 2) would have listed the expired keys.
    /// </summary>
    private static ApiKeyStatus? ParseStatus(string value) =>
        Enum.GetValues<ApiKeyStatus>().Select(s => (ApiKeyStatus?)s)
            .FirstOrDefault(s => string.Equals(s.ToString(), value, StringComparison.OrdinalIgnoreCase));

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
        // The length first: a list too long is one error, not one per entry.
        if (scopes.Count > ApiKeyLimits.MaxScopes)
        {
            errors.Add("scopes", $"scopes may hold at most {ApiKeyLimits.MaxScopes} entries.");
            return ScopeSet.Full;
        }
        var unknown = scopes.Where(s => s is null || !Scopes.IsKnown(s)).Distinct().ToList();
        // The catalog once, not once per unknown entry.
        if (unknown.Count > 0)
            errors.Add("scopes", $"Known scopes: {string.Join(", ", Scopes.All)}.");
        foreach (var scope in unknown)
            errors.Add("scopes", $"{ValidationErrors.Quote(scope)} is not a scope.");
        return ScopeSet.Of(scopes.Where(s => s is not null));
    }

    /// <summary>In the future, and within the organization's maximum lifetime of live keys (read with the caller's power).</summary>
    private static void ValidateExpiry(ValidationErrors errors, DateTimeOffset? expiresAt, DateTimeOffset now, bool livemode, OrganizationKeyPolicy policy)
    {
        if (expiresAt <= now)
            errors.Add("expires_at", "expires_at must be in the future.");
        else if (policy.RefuseExpiry(livemode, expiresAt, now) is { } refusal)
            errors.Add("expires_at", refusal);
    }

    /// <summary>The organization's key policies as they are now, for the dashboard (badges, what to offer).</summary>
    public async Task<OrganizationKeyPolicy> GetPolicyAsync(Caller caller, CancellationToken ct = default) =>
        await ReadPolicyAsync(caller.OrganizationId, ct) ?? OrganizationKeyPolicy.Default;

    private Task<OrganizationKeyPolicy?> ReadPolicyAsync(string organizationId, CancellationToken ct) =>
        db.Organizations.AsNoTracking()
            .Where(o => o.Id == organizationId)
            .Select(o => new OrganizationKeyPolicy(o.MaxLiveKeyLifetimeDays, o.RotationReminderDays, o.RequireTwoFactorForKeys))
            .SingleOrDefaultAsync(ct);

    /// <summary>
    /// Sets <see cref="ApiKey.CreatedByFormerMember"/> on keys of one organization with at most two queries, whatever
    /// their number: which of the people who made them still belong, and (for those who do not) whether someone
    /// else (a person) has rotated the secret since, so the person who left cannot know it. Keys made by keys or wallets are
    /// never flagged, nor revoked keys.
    /// </summary>
    private async Task MarkFormerMembersKeysAsync(IReadOnlyList<ApiKey> keys, CancellationToken ct)
    {
        // A revoked key's secret opens nothing, whoever holds it.
        var byPeople = keys
            .Where(k => k.Status != ApiKeyStatus.Revoked && k.CreatedBy.StartsWith(EntityId.UserPrefix + "_", StringComparison.Ordinal))
            .ToList();
        if (byPeople.Count == 0)
            return;
        var organizationId = byPeople[0].OrganizationId;
        var creators = byPeople.Select(k => k.CreatedBy).Distinct().ToList();
        var members = await db.OrganizationMembers
            .Where(m => m.OrganizationId == organizationId && creators.Contains(m.UserId))
            .Select(m => m.UserId)
            .ToListAsync(ct);
        var orphaned = byPeople.Where(k => !members.Contains(k.CreatedBy)).ToList();
        if (orphaned.Count == 0)
            return;
        var ids = orphaned.Select(k => k.Id).ToList();
        var rotations = await db.AuditEvents
            .Where(e => e.OrganizationId == organizationId && e.ApiKeyId != null && ids.Contains(e.ApiKeyId) && e.Action == AuditActions.ApiKeyRotated)
            .Select(e => new { e.ApiKeyId, e.ActorId })
            .Distinct()
            .ToListAsync(ct);
        var rotatingKeys = rotations.Select(r => r.ActorId).Where(a => EntityId.HasShape(a, EntityId.ApiKeyPrefix)).Distinct().ToList();
        var keyCreators = rotatingKeys.Count == 0
            ? []
            : await db.ApiKeys.Where(k => rotatingKeys.Contains(k.Id)).Select(k => new { k.Id, k.CreatedBy }).ToDictionaryAsync(k => k.Id, k => k.CreatedBy, ct);
        foreach (var key in orphaned)
            key.CreatedByFormerMember = !rotations.Any(r => r.ApiKeyId == key.Id && RotatedBySomeoneElse(key, r.ActorId, keyCreators));
    }

    /// <summary>
    /// A rotation clears the flag only when someone other than the leaver made it: another person, or a key that is
    /// neither the rotated key itself nor one the leaver made (either would hand the new secret to the leaver).
    /// </summary>
    private static bool RotatedBySomeoneElse(ApiKey rotated, string rotatedBy, Dictionary<string, string> keyCreators) =>
        EntityId.HasShape(rotatedBy, EntityId.UserPrefix)
            ? rotatedBy != rotated.CreatedBy
            : rotatedBy != rotated.Id && keyCreators.TryGetValue(rotatedBy, out var creator) && creator != rotated.CreatedBy;

    /// <summary>Within the catalog's bounds, and within the organization's plan's ceiling (named, so the caller knows why).</summary>
    private static void ValidateRateLimit(ValidationErrors errors, int? perMinute, OrganizationPlan plan)
    {
        if (perMinute is < 1 or > ApiKeyLimits.MaxRateLimitPerMinute)
            errors.Add("rate_limit_per_minute", $"rate_limit_per_minute must be between 1 and {ApiKeyLimits.MaxRateLimitPerMinute}, or null for the default.");
        else if (perMinute > plan.Limits.MaxRateLimitPerMinute)
            errors.Add("rate_limit_per_minute", $"rate_limit_per_minute may be at most {plan.Limits.MaxRateLimitPerMinute} on the {plan.Name} plan, or null for its default of {plan.Limits.DefaultRateLimitPerMinute}.");
    }

    /// <summary>
    /// The plan's cap on keys that are not revoked (inactive and expired ones count: they can come back). Read inside
    /// the audited write, so two creates racing for the last place are serialized by the chain and the loser counts again.
    /// </summary>
    private async Task<OperationError?> ActiveKeyLimitReachedAsync(Caller caller, CancellationToken ct)
    {
        var max = Plan.Limits.MaxActiveKeys;
        var active = await db.ApiKeys.CountAsync(k => k.OrganizationId == caller.OrganizationId && k.Status != ApiKeyStatus.Revoked, ct);
        return active < max
            ? null
            : OperationError.Conflict("plan_limit_reached",
                $"The {Plan.Name} plan allows {max} active API keys and this organization has {active}. Revoke a key you no longer use, or move to a larger plan.");
    }

    /// <summary>
    /// What the caller may act on, read afresh: a person with their role's rights as they are now (an access token
    /// outlives a removal from the organization by up to its lifetime, a write must not); a key with its power as
    /// stored now, not as it was when the request was authenticated, so a key revoked or narrowed a moment ago cannot
    /// finish a write with its old power (and the write's audit event races the revoke's, so one retries and sees
    /// the other).
    /// </summary>
    private async Task<OperationResult<ActingPower>> ActingPowerAsync(Caller caller, CancellationToken ct)
    {
        if (caller.Kind == CallerKind.Wallet)
            return OperationError.PrivilegeEscalation(PowerDimensions.Scopes, "A wallet paying per request cannot create or change API keys.");
        // The policies as they are now: one set a moment ago applies to this write.
        var policy = await ReadPolicyAsync(caller.OrganizationId, ct) ?? OrganizationKeyPolicy.Default;
        if (caller.Kind == CallerKind.User)
        {
            var person = await db.OrganizationMembers
                .Where(m => m.OrganizationId == caller.OrganizationId && m.UserId == caller.ActorId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.Role, u.TwoFactorEnabled })
                .SingleOrDefaultAsync(ct);
            if (person is null)
                return OperationError.Unauthenticated("organization_membership_ended", "You no longer belong to this organization.");
            if (!person.Role.Grants(OrganizationRight.ManageTestKeys))
                return OperationError.MissingRight(OrganizationRight.ManageTestKeys.Name(), $"A {person.Role.Name()} cannot manage API keys.");
            // Keys acting through the API are not people and have no second factor: the rule is for people.
            if (policy.RequireTwoFactorForKeys && !person.TwoFactorEnabled)
                return OperationError.TwoFactorRequired();
            return ActingPower.Person(person.Role, policy);
        }
        if (caller.Key is not { } presented)
            return OperationError.Unauthenticated("invalid_api_key", "The request is not authenticated by a key.");
        if (presented.SecretExpiresAt is not null)
        {
            return OperationError.PrivilegeEscalation(PowerDimensions.ExpiresAt,
                "This secret was replaced by a rotation and works only until its grace period ends; manage keys with the key's current secret.");
        }
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == presented.Id, ct);
        if (key is null || !key.SecretHash.AsSpan().SequenceEqual(presented.SecretHash))
            return OperationError.Unauthenticated("invalid_api_key", "This key's secret has just been replaced. Use its current secret.");
        return key.EffectiveStatus(time.GetUtcNow()) switch
        {
            ApiKeyStatus.Revoked => OperationError.Unauthenticated("api_key_revoked", "This API key has been revoked."),
            ApiKeyStatus.Inactive => OperationError.Unauthenticated("api_key_inactive", "This API key has been deactivated."),
            ApiKeyStatus.Expired => OperationError.Unauthenticated("api_key_expired", "This API key has expired."),
            _ => new ActingPower(ApiKeyPower.Of(key, DefaultRateLimit), null, policy),
        };
    }

    /// <summary>The limit of a key that sets none: its organization's plan's default, which the privilege rule compares.</summary>
    private int DefaultRateLimit => Plan.Limits.DefaultRateLimitPerMinute;

    private OrganizationPlan? plan;

    /// <summary>The caller's organization's plan, read once per write (<see cref="AuditedAsync"/>).</summary>
    private OrganizationPlan Plan => plan ?? throw new InvalidOperationException("The plan is read at the start of every write.");

    /// <summary>
    /// The privilege rule as the service applies it: a key acts only on keys within its power; a person only on keys
    /// of a mode their role may manage, with scopes their role holds.
    /// </summary>
    private sealed record ActingPower(ApiKeyPower? Bound, OrganizationRole? Role, OrganizationKeyPolicy Policy)
    {
        public static ActingPower Person(OrganizationRole role, OrganizationKeyPolicy policy) => new(null, role, policy);

        public OperationError? Denies(ApiKeyPower target)
        {
            if (Role is { } role)
            {
                var right = OrganizationRoles.ManageKeys(target.Livemode);
                if (!role.Grants(right))
                    return OperationError.MissingRight(right.Name(), $"A {role.Name()} cannot manage {(target.Livemode ? "live" : "test")} API keys.");
                if (OrganizationRoles.ScopesOf(role).FirstNotCovered(target.Scopes) is { } scope)
                    return OperationError.PrivilegeEscalation(PowerDimensions.Scopes, $"A {role.Name()} cannot grant {scope}.");
                return null;
            }
            return Bound?.Covers(target) is { Denied: true } coverage
                ? OperationError.PrivilegeEscalation(coverage.Dimension, coverage.Reason)
                : null;
        }
    }
}
