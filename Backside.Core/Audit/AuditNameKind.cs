namespace Backside.Core.Audit;

/// <summary>What an id in the audit log turned out to be, as far as the reader's organization may tell.</summary>
public enum AuditNameKind
{
    /// <summary>A current member: shown by email.</summary>
    Person,

    /// <summary>An account that is no longer a member: its email belongs to it, not to this organization, so it is not shown.</summary>
    FormerMember,

    /// <summary>An account that was deleted.</summary>
    DeletedAccount,

    /// <summary>A key of the organization: shown by name and hint.</summary>
    ApiKey,

    /// <summary>A key id the organization has no key for (one the reader's mode does not see).</summary>
    UnknownApiKey,

    /// <summary>A wallet paying per request: its address is its name.</summary>
    Wallet,
}
