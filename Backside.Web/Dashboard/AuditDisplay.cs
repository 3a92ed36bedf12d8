using System.Text.Json;

namespace Backside.Web.Dashboard;

/// <summary>Turns an audit event's stored changes into short lines a person can read.</summary>
public static class AuditDisplay
{
    public static IReadOnlyList<string> Describe(string changesJson)
    {
        using var document = JsonDocument.Parse(changesJson);
        return document.RootElement.EnumerateObject().Select(Line).ToList();
    }

    public static string Action(string action) => action switch
    {
        "api_key.created" => "Created",
        "api_key.updated" => "Updated",
        "api_key.rotated" => "Rotated",
        "api_key.deactivated" => "Deactivated",
        "api_key.activated" => "Activated",
        "api_key.revoked" => "Revoked",
        _ => action,
    };

    private static string Line(JsonProperty change) =>
        change.Value.ValueKind == JsonValueKind.Object && change.Value.TryGetProperty("after", out var after)
            ? $"{change.Name}: {Value(change.Value.GetProperty("before"))} → {Value(after)}"
            : $"{change.Name}: {Value(change.Value)}";

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "none",
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "none" : string.Join(", ", value.EnumerateArray().Select(Value)),
        _ => value.GetRawText(),
    };
}
