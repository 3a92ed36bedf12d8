namespace Backside.Core.Usage;

public enum UsageGranularity
{
    Hour,
    Day,
}
