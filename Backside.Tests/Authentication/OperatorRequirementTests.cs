using System.Security.Claims;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Backside.Tests.Authentication;

public class OperatorRequirementTests
{
    private static async Task<bool> IsOperatorAsync(ClaimsPrincipal user, params string[] operators)
    {
        var monitor = new StaticMonitor(new OperatorOptions { Emails = [.. operators] });
        var requirement = new OperatorRequirement(monitor);
        var context = new AuthorizationHandlerContext([requirement], user, null);
        await requirement.HandleAsync(context);
        return context.HasSucceeded;
    }

    private static ClaimsPrincipal SignedIn(string name) => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "Identity.Application"));

    [Fact]
    public async Task Only_configured_emails_are_operators_in_any_case()
    {
        Assert.True(await IsOperatorAsync(SignedIn("Ops@Example.com"), "ops@example.com"));
        Assert.False(await IsOperatorAsync(SignedIn("someone@example.com"), "ops@example.com"));
        Assert.False(await IsOperatorAsync(SignedIn("ops@example.com")));
        Assert.False(await IsOperatorAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops@example.com")])), "ops@example.com"));
    }

    private sealed class StaticMonitor(OperatorOptions value) : IOptionsMonitor<OperatorOptions>
    {
        public OperatorOptions CurrentValue => value;
        public OperatorOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<OperatorOptions, string?> listener) => null;
    }
}
