namespace Backside.Tests.Infrastructure;

/// <summary>The same app with a mail server that refuses every connection.</summary>
public sealed class UnreachableMailAppFactory : EmailAppFactory
{
    public const string Secret = "smtp-password-never-logged";

    // Port 9 on loopback (discard) has no listener here: a connection is refused at once.
    protected override int SmtpPort => 9;

    protected override string? SmtpPassword => Secret;
}
