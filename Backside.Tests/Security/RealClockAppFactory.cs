using Backside.Tests.Infrastructure;

namespace Backside.Tests.Security;

/// <summary>
/// The real clock: Identity (before .NET 11) stamps lockouts with it, not with TimeProvider, so under a fake clock a
/// real account's "try again in" would be off by the fake clock's distance from now.
/// </summary>
public sealed class RealClockAppFactory : BacksideAppFactory
{
    protected override bool UseFakeTime => false;
}
