namespace Backside.Core.Data.Configurations;

internal static class EntityIdLength
{
    /// <summary>Room for a prefix of up to 7 characters, an underscore and 32 hex digits.</summary>
    public const int Max = 40;
}
