using System.Text.Json.Nodes;

namespace Backside.Core.Payments;

/// <summary>The offers of one priced route, as sent in the 402: v1 requirements and v2 requirements.</summary>
public sealed record PaymentOffers(IReadOnlyList<JsonObject> V1, IReadOnlyList<JsonObject> V2)
{
    public IReadOnlyList<JsonObject> For(int version) => version == 1 ? V1 : V2;
}
