using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backside.Core.Audit;

/// <summary>The fields an operation changed, each with its value before and after, as the audit event stores them.</summary>
public sealed class ChangeSet
{
    private readonly JsonObject changes = [];

    public bool IsEmpty => changes.Count == 0;

    /// <summary>Records the field if its value changed. Values are compared as JSON, so lists compare by content.</summary>
    public ChangeSet Track<T>(string field, T before, T after)
    {
        var beforeNode = JsonSerializer.SerializeToNode(before, AuditJson.Options);
        var afterNode = JsonSerializer.SerializeToNode(after, AuditJson.Options);
        if (!JsonNode.DeepEquals(beforeNode, afterNode))
            changes[field] = new JsonObject { ["before"] = beforeNode, ["after"] = afterNode };
        return this;
    }

    /// <summary>Records a fact of the operation that is not a field change, such as a rotation's grace period.</summary>
    public ChangeSet Note<T>(string field, T value)
    {
        changes[field] = JsonSerializer.SerializeToNode(value, AuditJson.Options);
        return this;
    }

    public string ToJson() => changes.ToJsonString(AuditJson.Options);
}
