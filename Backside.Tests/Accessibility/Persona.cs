namespace Backside.Tests.Accessibility;

/// <summary>Who looks at a page: the fixture signs each of them in once and keeps their cookies.</summary>
public enum Persona
{
    /// <summary>Signed out.</summary>
    Anonymous,

    /// <summary>Owner of an organization with keys, usage, history, a pending invitation.</summary>
    Owner,

    /// <summary>Owner of an organization without a key.</summary>
    Newcomer,

    /// <summary>Invited to the owner's organization, not yet accepted.</summary>
    Invitee,

    /// <summary>The platform operator, with two-factor on.</summary>
    Operator,
}
