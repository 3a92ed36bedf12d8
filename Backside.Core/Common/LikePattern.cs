namespace Backside.Core.Common;

/// <summary>Escapes user text for SQL LIKE so that <c>%</c> and <c>_</c> in a search match themselves.</summary>
public static class LikePattern
{
    public const string EscapeCharacter = "\\";

    public static string Escape(string text) =>
        text.Replace(EscapeCharacter, EscapeCharacter + EscapeCharacter)
            .Replace("%", EscapeCharacter + "%")
            .Replace("_", EscapeCharacter + "_");
}
