using Backside.Core.Common;

namespace Backside.Core.Organizations;

/// <summary>A PATCH of an organization's name and key policies: absent fields stay as they are. The plan is not here; operators change it.</summary>
public sealed record UpdateOrganizationCommand
{
    public Optional<string?> Name { get; init; }

    /// <summary>Null: live keys may live forever (and need no expiry).</summary>
    public Optional<int?> MaxLiveKeyLifetimeDays { get; init; }

    public Optional<int> RotationReminderDays { get; init; }

    public Optional<bool> RequireTwoFactorForKeys { get; init; }
}
