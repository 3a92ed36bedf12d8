using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backside.Core.Organizations;

/// <summary>
/// The caller's organization itself: read it (name, kind, plan and the plan's limits, key policies), rename it and
/// set its key policies (ManageOrganization, audited with before and after), delete it (Owners, team organizations
/// only, after every key it holds is revoked). The plan is read-only here: platform operators change it.
/// </summary>
public sealed class OrganizationSettingsService(
    BacksideDbContext db, AuditTrail audit, ApiKeyService keys, IOptionsMonitor<PlansOptions> plans)
{
    /// <summary>Rounds of revocation before giving up: a key could create another while the first ones are revoked.</summary>
    private const int MaxRevocationRounds = 5;

    public async Task<OperationResult<OrganizationDetails>> GetAsync(Caller caller, CancellationToken ct = default)
    {
        var actor = await OrganizationActor.ResolveAsync(db, caller, Scopes.OrganizationRead, write: false, ct);
        if (!actor.Succeeded)
            return actor.Error;
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == caller.OrganizationId, ct);
        return organization is null ? OperationError.NotFound("organization") : Details(organization, actor.Value);
    }

    /// <summary>PATCH: only the fields the command carries change. A change that changes nothing writes no event.</summary>
    public Task<OperationResult<OrganizationDetails>> UpdateAsync(Caller caller, UpdateOrganizationCommand command, CancellationToken ct = default) =>
        AuditedWrites.RunAsync<OrganizationDetails>(db, audit, caller.OrganizationId, async () =>
        {
            var actor = await OrganizationActor.ResolveAsync(db, caller, Scopes.OrganizationWrite, write: true, ct);
            if (!actor.Succeeded)
                return actor.Error;
            if (actor.Value.Lacks(OrganizationRight.ManageOrganization, "change the organization's settings") is { } refused)
                return refused;
            var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == caller.OrganizationId, ct);
            if (organization is null)
                return OperationError.NotFound("organization");

            var errors = new ValidationErrors();
            var name = command.Name.HasValue ? errors.RequireText("name", command.Name.Value, Organization.MaxNameLength) : organization.Name;
            if (command.MaxLiveKeyLifetimeDays is { HasValue: true, Value: < 1 or > Organization.MaxPolicyDays })
                errors.Add("max_live_key_lifetime_days", $"max_live_key_lifetime_days must be between 1 and {Organization.MaxPolicyDays}, or null for no limit.");
            if (command.RotationReminderDays is { HasValue: true, Value: < 1 or > Organization.MaxPolicyDays })
                errors.Add("rotation_reminder_days", $"rotation_reminder_days must be between 1 and {Organization.MaxPolicyDays}.");
            if (errors.Any)
                return errors.ToError();
            if (command.RequireTwoFactorForKeys.HasValue && command.RequireTwoFactorForKeys.Value != organization.RequireTwoFactorForKeys
                && await TwoFactorPolicyRefusalAsync(caller, ct) is { } twoFactorRefused)
                return twoFactorRefused;

            var maxLifetime = command.MaxLiveKeyLifetimeDays.Or(organization.MaxLiveKeyLifetimeDays);
            var reminder = command.RotationReminderDays.Or(organization.RotationReminderDays);
            var twoFactor = command.RequireTwoFactorForKeys.Or(organization.RequireTwoFactorForKeys);
            var changes = new ChangeSet()
                .Track("name", organization.Name, name)
                .Track("max_live_key_lifetime_days", organization.MaxLiveKeyLifetimeDays, maxLifetime)
                .Track("rotation_reminder_days", organization.RotationReminderDays, reminder)
                .Track("require_two_factor_for_keys", organization.RequireTwoFactorForKeys, twoFactor);
            if (changes.IsEmpty)
                return Details(organization, actor.Value);

            organization.Name = name!;
            organization.MaxLiveKeyLifetimeDays = maxLifetime;
            organization.RotationReminderDays = reminder;
            organization.RequireTwoFactorForKeys = twoFactor;
            await audit.AppendAsync(caller, AuditActions.OrganizationUpdated, apiKeyId: null, livemode: true, changes, ct);
            await audit.SaveAsync(ct);
            return Details(organization, actor.Value);
        }, ct);

    /// <summary>
    /// The two-factor policy is changed only by a person who has two-factor sign-in on: otherwise someone the policy
    /// keeps from managing keys (or a key, which has no second factor) could simply turn it off.
    /// </summary>
    private async Task<OperationError?> TwoFactorPolicyRefusalAsync(Caller caller, CancellationToken ct)
    {
        if (caller.Kind != CallerKind.User)
            return OperationError.Forbidden("user_required", "Only a signed-in person with two-factor sign-in can change require_two_factor_for_keys.");
        var hasTwoFactor = await db.Users.Where(u => u.Id == caller.ActorId).Select(u => u.TwoFactorEnabled).SingleOrDefaultAsync(ct);
        return hasTwoFactor ? null : OperationError.TwoFactorRequired() with
        {
            Message = "Turn on two-factor authentication (Account > Two-factor authentication) before changing the organization's two-factor policy.",
        };
    }

    /// <summary>
    /// Deletes a team organization: every key it holds that is not revoked yet is revoked first, each through
    /// <see cref="ApiKeyService.RevokeAsync"/> (audited, cache entry dropped, so none works a moment longer), then the
    /// organization goes with its members, invitations, keys, data and audit trail. The revocations commit first:
    /// should the deletion then fail, the keys are dead and the organization remains, never the other way round.
    /// Owners only, signed in; a personal organization cannot be deleted (409 <c>personal_organization</c>).
    /// Returns how many keys were revoked.
    /// </summary>
    public async Task<OperationResult<int>> DeleteAsync(Caller caller, CancellationToken ct = default)
    {
        var actor = await OrganizationActor.ResolveAsync(db, caller, Scopes.OrganizationWrite, write: true, ct);
        if (!actor.Succeeded)
            return actor.Error;
        if (actor.Value.Lacks(OrganizationRight.DeleteOrganization, "delete the organization") is { } refused)
            return refused;
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == caller.OrganizationId, ct);
        if (organization is null)
            return OperationError.NotFound("organization");
        if (organization.Kind != OrganizationKind.Team)
            return OperationError.Conflict("personal_organization", "A personal organization cannot be deleted; it goes with your account.");

        var revoked = 0;
        for (var round = 0; round < MaxRevocationRounds; round++)
        {
            var live = await db.ApiKeys.AsNoTracking()
                .Where(k => k.OrganizationId == organization.Id && k.Status != ApiKeyStatus.Revoked)
                .Select(k => k.Id)
                .ToListAsync(ct);
            if (live.Count == 0)
                break;
            foreach (var keyId in live)
            {
                var result = await keys.RevokeAsync(caller, keyId, ct);
                if (result.Error is { } error)
                    return error;
            }
            revoked += live.Count;
        }

        // Nobody's next sign-in should try to land in an organization that is gone.
        await db.Users.Where(u => u.LastOrganizationId == organization.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastOrganizationId, (string?)null), ct);
        // Members, invitations, keys, contacts, usage and the audit chain cascade in the database.
        await db.Organizations.Where(o => o.Id == organization.Id).ExecuteDeleteAsync(ct);
        return revoked;
    }

    private OrganizationDetails Details(Organization organization, OrganizationActor actor) =>
        new(organization, plans.CurrentValue.For(organization.Plan), actor.Role);
}
