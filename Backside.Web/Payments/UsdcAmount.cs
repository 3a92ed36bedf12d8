namespace Backside.Web.Payments;

/// <summary>USDC amounts for people: 6 decimals.</summary>
public static class UsdcAmount
{
    public static string Format(string atomic) => Format(long.Parse(atomic, System.Globalization.CultureInfo.InvariantCulture));

    public static string Format(long atomic) => (atomic / 1_000_000m).ToString("0.00####", System.Globalization.CultureInfo.InvariantCulture);
}
