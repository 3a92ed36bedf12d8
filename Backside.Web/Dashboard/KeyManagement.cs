using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Organizations;

namespace Backside.Web.Dashboard;

/// <summary>
/// What the signed-in person may do on the keys pages, read once per page load: their role's rights, the
/// organization's key policies and whether they have two-factor sign-in. It only decides what to show; Core refuses
/// whatever slips through (a role changed since the page loaded), and the page shows that refusal.
/// </summary>
public sealed record KeyManagement(Caller Caller, OrganizationKeyPolicy Policy, bool HasTwoFactor)
{
    /// <summary>Buttons stay visible but disabled, with a banner saying why: the organization requires 2FA to manage keys.</summary>
    public bool BlockedByTwoFactor => Policy.RequireTwoFactorForKeys && !HasTwoFactor;

    /// <summary>The role may manage keys of some mode (Owner, Admin, Developer).</summary>
    public bool CanCreate => Grants(OrganizationRight.ManageTestKeys) || Grants(OrganizationRight.ManageLiveKeys);

    public bool CanCreateLive => Grants(OrganizationRight.ManageLiveKeys);

    /// <summary>Change, rotate, deactivate or revoke this key: the role manages its mode and holds every scope it grants.</summary>
    public bool CanManage(ApiKey key) =>
        Grants(OrganizationRoles.ManageKeys(key.Livemode)) && Caller.Scopes.FirstNotCovered(ScopeSet.FromStored(key.Scopes)) is null;

    private bool Grants(OrganizationRight right) => Caller.Role?.Grants(right) ?? false;

    public static async Task<KeyManagement> LoadAsync(DashboardCaller dashboard, IServiceScopeFactory scopes, CancellationToken ct = default)
    {
        var caller = await dashboard.GetAsync(ct);
        var policy = await scopes.RunAsync<ApiKeyService, OrganizationKeyPolicy>(keys => keys.GetPolicyAsync(caller, ct));
        return new KeyManagement(caller, policy, await dashboard.HasTwoFactorAsync());
    }
}
