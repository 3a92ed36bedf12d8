namespace Backside.Web.Authorization;

/// <summary>Who runs this Backside installation: the accounts that see platform-wide pages such as Payments.</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operators";

    /// <summary>Emails of the platform operators. They count only for an account that proved the address and has two-factor on.</summary>
    public List<string> Emails { get; set; } = [];
}
