namespace Backside.Web.Payments;

public static class X402Defaults
{
    /// <summary>The authentication type of a paying wallet's principal.</summary>
    public const string AuthenticationType = "x402";
}
