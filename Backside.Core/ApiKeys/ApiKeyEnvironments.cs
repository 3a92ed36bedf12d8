namespace Backside.Core.ApiKeys;

public static class ApiKeyEnvironments
{
    public const string Live = "live";
    public const string Test = "test";

    public static bool TryParse(string? value, out bool livemode)
    {
        livemode = value == Live;
        return value is Live or Test;
    }
}
