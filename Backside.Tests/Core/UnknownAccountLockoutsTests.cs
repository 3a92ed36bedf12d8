using Backside.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Core;

public class UnknownAccountLockoutsTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private UnknownAccountLockouts Lockouts() =>
        new(Options.Create(new IdentityOptions { Lockout = { MaxFailedAccessAttempts = 5, DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15) } }), time);

    [Fact]
    public void Five_failures_lock_an_email_out_in_any_spelling()
    {
        var lockouts = Lockouts();
        for (var i = 0; i < 4; i++)
            Assert.Null(lockouts.Failed("kate@example.com"));

        Assert.Equal(time.GetUtcNow().AddMinutes(15), lockouts.Failed("  KATE@example.com "));
        Assert.NotNull(lockouts.LockedUntil("kate@EXAMPLE.com"));
        Assert.Equal(1, lockouts.Count);
    }

    [Fact]
    public async Task The_app_looks_accounts_up_with_the_normalizer_the_tables_key_by()
    {
        await using var app = new Backside.Tests.Infrastructure.BacksideAppFactory();
        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(app.Services);
        var registered = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ILookupNormalizer>(scope.ServiceProvider);

        Assert.Equal(EmailRules.Normalizer.GetType(), registered.GetType());
    }

    [Fact]
    public void Minted_emails_are_forgotten_a_day_after_their_last_failure()
    {
        var lockouts = Lockouts();
        for (var i = 0; i < 10_001; i++)
            lockouts.Failed($"minted-{i}@example.com");
        Assert.Equal(10_001, lockouts.Count);

        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        lockouts.Failed("fresh@example.com");

        Assert.Equal(1, lockouts.Count);
    }
}
