using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backside.Core.Organizations;

/// <summary>
/// Plans (account tiers) as they apply to organizations: what an organization's plan allows, and the platform
/// operators' list of organizations and change of plan. Who is an operator is the host's decision (Backside.Web's
/// operator policy guards the pages that call <see cref="ChangePlanAsync"/>); this service takes the operator's id
/// for the audit trail.
/// </summary>
public sealed class OrganizationPlanService(
    BacksideDbContext db, AuditTrail audit, OrganizationKeyCache keyCache, IOptions<PlansOptions> plans)
{
    public const int MaxPageSize = 100;
    private const int MaxWriteAttempts = 10;

    /// <summary>The plans configuration names, the default first.</summary>
    public IReadOnlyList<string> PlanNames =>
        [PlanOptions.DefaultPlanName, .. plans.Value.Keys.Where(p => p != PlanOptions.DefaultPlanName).Order(StringComparer.Ordinal)];

    /// <summary>The plan that applies to <paramref name="organizationId"/> now (the default for an unknown organization).</summary>
    public async Task<OrganizationPlan> ForOrganizationAsync(string organizationId, CancellationToken ct = default)
    {
        var plan = await db.Organizations.AsNoTracking()
            .Where(o => o.Id == organizationId)
            .Select(o => o.Plan)
            .SingleOrDefaultAsync(ct);
        return plans.Value.Resolve(plan ?? PlanOptions.DefaultPlanName);
    }

    /// <summary>Every organization on the platform, by name, optionally matching <paramref name="search"/> (name or id).</summary>
    public async Task<PlatformOrganizationPage> SearchAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        var organizations = db.Organizations.AsNoTracking();
        search = search?.Trim();
        if (!string.IsNullOrEmpty(search))
            organizations = organizations.WhereAnyContains(db.Database, search, o => o.Name, o => o.Id);
        var total = await organizations.CountAsync(ct);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var items = await organizations
            .OrderBy(o => o.Name).ThenBy(o => o.Id)
            .Skip(Math.Max(page, 0) * pageSize)
            .Take(pageSize)
            .Select(o => new PlatformOrganization(
                o.Id, o.Name, o.Kind, o.Plan, o.CreatedAt,
                db.OrganizationMembers.Count(m => m.OrganizationId == o.Id),
                db.ApiKeys.Count(k => k.OrganizationId == o.Id && k.Status != ApiKeyStatus.Revoked)))
            .ToListAsync(ct);
        return new PlatformOrganizationPage(items, total);
    }

    /// <summary>
    /// Moves an organization to another plan: audited on the organization's chain (<c>organization.plan_changed</c>,
    /// before and after, the operator as actor), then every cached credential of its keys is dropped on every instance,
    /// so each key works under the new plan's limits from its next request. Moving to the plan it is on changes nothing.
    /// </summary>
    public async Task<OperationResult<Organization>> ChangePlanAsync(
        string operatorUserId, string organizationId, string plan, ClientInfo? client = null, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(plan) || !plans.Value.ContainsKey(plan))
        {
            return OperationError.Invalid(new Dictionary<string, string[]>
            {
                ["plan"] = [$"plan must be one of {string.Join(", ", PlanNames)}."],
            });
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var chainWrite = await audit.BeginChainWriteAsync(organizationId, ct);
                var organization = EntityId.HasShape(organizationId, EntityId.OrganizationPrefix)
                    ? await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct)
                    : null;
                if (organization is null)
                    return OperationError.NotFound("Organization");
                if (organization.Plan == plan)
                    return organization;
                var changes = new ChangeSet().Track("plan", organization.Plan, plan);
                organization.Plan = plan;
                var actor = new Caller(organizationId, CallerKind.User, operatorUserId, ScopeSet.Of([]), Livemode: true, Client: client);
                await audit.AppendAsync(actor, AuditActions.OrganizationPlanChanged, apiKeyId: null, livemode: true, changes, ct);
                await audit.SaveAsync(ct);
                // Committed: every key's cached plan limits go, even if the operator's circuit has gone away meanwhile.
                await keyCache.InvalidateAsync(organizationId, CancellationToken.None);
                return organization;
            }
            catch (DbUpdateException ex) when (audit.IsChainConflict(ex) && !ct.IsCancellationRequested)
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxWriteAttempts)
                    return OperationError.Conflict("write_conflict", "Other changes to this organization were being saved at the same moment. Try again.");
                await Task.Delay(Random.Shared.Next(1, 4 * attempt + 1), ct);
            }
        }
    }
}
