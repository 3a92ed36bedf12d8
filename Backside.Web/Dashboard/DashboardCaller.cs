using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Backside.Web.Dashboard;

/// <summary>
/// The signed-in person as a Core <see cref="Caller"/> in their organization, for dashboard components: built with
/// <see cref="Caller.ForMember(Membership, string, ClientInfo?)"/>, as the access-token rail builds the API's.
/// </summary>
public sealed class DashboardCaller(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, IHttpContextAccessor http)
{
    /// <summary>
    /// The browser's address and user agent, from the request that opened this circuit (the prerender or the
    /// WebSocket), captured once: later in a circuit there is no request to read them from.
    /// </summary>
    private ClientInfo? client;

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
        client ??= http.HttpContext is { } context ? CallerIdentity.ClientOf(context) : null;
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(state.User)
            ?? throw new InvalidOperationException("The dashboard needs a signed-in user.");
        var organizations = scope.ServiceProvider.GetRequiredService<OrganizationService>();
        var membership = await organizations.FindMembershipAsync(user.Id, ct)
            ?? await organizations.EnsurePersonalOrganizationAsync(user, ct);
        return Caller.ForMember(membership, user.Id, client);
    }
}
