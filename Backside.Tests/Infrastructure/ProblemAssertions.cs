using System.Net;
using System.Text.Json;

namespace Backside.Tests.Infrastructure;

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 answer with the given status and machine code; returns the body for further checks.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", body); // never a stack trace
        // One spelling of the trace id, whoever wrote the problem.
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("trace_id").GetString()));
        Assert.False(problem.TryGetProperty("traceId", out _));
        return problem;
    }

    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
