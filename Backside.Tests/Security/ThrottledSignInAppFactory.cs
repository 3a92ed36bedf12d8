using Backside.Tests.Infrastructure;

namespace Backside.Tests.Security;

/// <summary>The app with tight sign-in budgets: six requests per address and three per account a minute.</summary>
public sealed class ThrottledSignInAppFactory : BacksideAppFactory
{
    public const int PerAddress = 6;
    public const int PerAccount = 3;

    protected override (int PerAddress, int PerAccount) SignInPermits => (PerAddress, PerAccount);
}
