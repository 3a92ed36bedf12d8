using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Backside.Web.Dashboard;

/// <summary>
/// The signed-in person as a Core <see cref="Caller"/> in their active organization, for dashboard components: built
/// with <see cref="Caller.ForMember(Membership, string, ClientInfo?)"/>, as the access-token rail builds the API's.
/// The organization is chosen once per circuit (or prerender): the browser's <see cref="ActiveOrganizationCookie"/>
/// when the person belongs to it, else their last choice, else their oldest membership. From then on the circuit
/// stays there: if the person leaves or is removed meanwhile, <see cref="GetAsync"/> throws
/// <see cref="MembershipEndedException"/> instead of moving them to another organization mid-page.
/// </summary>
public sealed class DashboardCaller(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, IHttpContextAccessor http)
{
    /// <summary>
    /// The browser's address and user agent, from the request that opened this circuit (the prerender or the
    /// WebSocket), captured once: later in a circuit there is no request to read them from.
    /// </summary>
    private ClientInfo? client;

    private bool captured;

    /// <summary>What the opening request said of the active organization, captured with <see cref="client"/>.</summary>
    private string? organizationCookie;
    private string? noticeCookie;
    private string? endedNow;
    private bool noticeShown;

    /// <summary>The organization this circuit acts in, once chosen.</summary>
    private Membership? active;

    public async Task<bool> HasTwoFactorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetUserAsync(state.User) is { } user && await users.GetTwoFactorEnabledAsync(user);
    }

    /// <summary>Read fresh on every call, so a changed role applies to the next action, not the next sign-in.</summary>
    public async Task<Caller> GetAsync(CancellationToken ct = default)
    {
        var (user, membership) = await ResolveAsync(ct);
        return Caller.ForMember(membership, user.Id, client);
    }

    /// <summary>The organization the page acts in, with the person's role there now.</summary>
    public async Task<Membership> GetMembershipAsync(CancellationToken ct = default) => (await ResolveAsync(ct)).Membership;

    /// <summary>Every organization the person belongs to, oldest first.</summary>
    public async Task<List<Membership>> ListMembershipsAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var user = await UserAsync(scope, ct);
        return await scope.ServiceProvider.GetRequiredService<OrganizationService>().ListMembershipsAsync(user.Id, ct);
    }

    /// <summary>Where the person lands after leaving an organization they no longer belong to: their last choice or oldest membership.</summary>
    public async Task<Membership> FallbackMembershipAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var user = await UserAsync(scope, ct);
        return await scope.ServiceProvider.GetRequiredService<OrganizationService>().DefaultMembershipAsync(user, ct);
    }

    /// <summary>
    /// The name of an organization the browser had chosen and the person was removed from since, to say so once on this
    /// page load; null when there is nothing to say.
    /// </summary>
    public async Task<string?> EndedMembershipNoticeAsync(CancellationToken ct = default)
    {
        Capture();
        if (endedNow is not null)
            return endedNow;
        if (noticeShown || noticeCookie is null)
            return null;
        await using var scope = scopes.CreateAsyncScope();
        var user = await UserAsync(scope, ct);
        return scope.ServiceProvider.GetRequiredService<ActiveOrganizationCookie>().ReadNotice(noticeCookie, user.Id);
    }

    private async Task<(ApplicationUser User, Membership Membership)> ResolveAsync(CancellationToken ct)
    {
        Capture();
        await using var scope = scopes.CreateAsyncScope();
        var user = await UserAsync(scope, ct);
        var organizations = scope.ServiceProvider.GetRequiredService<OrganizationService>();
        if (active is { } pinned)
        {
            var current = await organizations.FindMembershipAsync(user.Id, pinned.OrganizationId, ct)
                ?? throw new MembershipEndedException(pinned.OrganizationId, pinned.OrganizationName);
            active = current;
            return (user, current);
        }
        var chosen = scope.ServiceProvider.GetRequiredService<ActiveOrganizationCookie>().Read(organizationCookie, user.Id) is { } fromCookie
            ? await organizations.FindMembershipAsync(user.Id, fromCookie, ct)
            : null;
        active = chosen ?? await organizations.DefaultMembershipAsync(user, ct);
        return (user, active);
    }

    private void Capture()
    {
        if (captured)
            return;
        if (http.HttpContext is { } context)
        {
            client ??= CallerIdentity.ClientOf(context);
            // The middleware has already dropped a cookie naming an ended membership from the answer, not from the request.
            endedNow = context.Items[ActiveOrganizationMiddleware.EndedNowKey] as string;
            noticeShown = context.Items.ContainsKey(ActiveOrganizationMiddleware.NoticeShownKey);
            organizationCookie = endedNow is null ? context.Request.Cookies[ActiveOrganizationCookie.Name] : null;
            noticeCookie = context.Request.Cookies[ActiveOrganizationCookie.NoticeName];
        }
        captured = true;
    }

    private async Task<ApplicationUser> UserAsync(AsyncServiceScope scope, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var state = await authentication.GetAuthenticationStateAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetUserAsync(state.User)
            ?? throw new InvalidOperationException("The dashboard needs a signed-in user.");
    }
}
