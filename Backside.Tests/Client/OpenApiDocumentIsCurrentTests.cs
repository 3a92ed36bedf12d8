using System.Text.Json.Nodes;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Client;

/// <summary>
/// Backside.Client is generated from Backside.Client/openapi.json; this fails when that copy is no longer what the app
/// serves, so a change to the API cannot ship with a stale client. The document depends on the code and on
/// appsettings.json (priced routes), not on the test clock or the test settings (no example or schema reads either).
/// The one thing that legitimately differs is <c>servers</c>, the address of whichever host answered: the script
/// leaves it out of the copy and this leaves it out of the served document. The comparison is of JSON values, so
/// formatting does not count.
/// </summary>
public class OpenApiDocumentIsCurrentTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Checked_in_client_document_is_the_one_the_app_serves()
    {
        var served = JsonNode.Parse(await app.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!.AsObject();
        served.Remove("servers");
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Client", "openapi.json")));

        var difference = FirstDifference(served, checkedIn, "#");
        Assert.True(difference is null,
            $"Backside.Client/openapi.json is out of date at {difference}: run scripts/generate-client and commit the result.");
    }

    /// <summary>The JSON pointer of the first place where the two differ, or null when they are equal.</summary>
    private static string? FirstDifference(JsonNode? served, JsonNode? checkedIn, string path)
    {
        if (served is JsonObject servedObject && checkedIn is JsonObject checkedInObject)
        {
            foreach (var name in servedObject.Select(p => p.Key).Union(checkedInObject.Select(p => p.Key)))
            {
                var member = $"{path}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                if (!servedObject.ContainsKey(name) || !checkedInObject.ContainsKey(name))
                    return member;
                if (FirstDifference(servedObject[name], checkedInObject[name], member) is { } inner)
                    return inner;
            }
            return null;
        }
        if (served is JsonArray servedArray && checkedIn is JsonArray checkedInArray && servedArray.Count == checkedInArray.Count)
            return servedArray.Select((item, i) => FirstDifference(item, checkedInArray[i], $"{path}/{i}")).FirstOrDefault(d => d is not null);
        return JsonNode.DeepEquals(served, checkedIn) ? null : path;
    }
}
