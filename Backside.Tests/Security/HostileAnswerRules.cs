using System.Net;
using System.Text;
using System.Text.Json;

namespace Backside.Tests.Security;

/// <summary>What every answer to a hostile request must look like, whatever the request sent.</summary>
public static class HostileAnswerRules
{
    /// <summary>"A few KB": no refusal may answer more than this.</summary>
    public const int MaxRefusalBytes = 4 * 1024;

    /// <summary>A list page of at most 100 small objects; the same bound <c>BoundedInputTests</c> uses.</summary>
    public const int MaxSuccessBytes = 64 * 1024;

    /// <summary>
    /// Why <paramref name="answer"/> breaks the rules for a refusal, or null: no 5xx, a problem+json body of a few KB
    /// with a <c>code</c> and no stack trace.
    /// </summary>
    public static string? RefusalProblem(HostileAnswer answer)
    {
        if (answer.Status >= 500)
            return $"answered {answer.Status}";
        if (answer.Body.Length > MaxRefusalBytes)
            return $"answered {answer.Body.Length} bytes";
        if (answer.Body.Length == 0)
            return null; // Kestrel's own refusals (431, 400) have no body
        if (answer.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
            return $"answered {answer.ContentType} instead of problem+json";
        if (answer.Text.Contains("   at ", StringComparison.Ordinal))
            return "answered a stack trace";
        try
        {
            using var problem = JsonDocument.Parse(answer.Body);
            if (!problem.RootElement.TryGetProperty("code", out var code) || string.IsNullOrEmpty(code.GetString()))
                return "answered a problem without a code";
            if (problem.RootElement.GetProperty("status").GetInt32() != answer.Status)
                return "answered a problem whose status is not the response's";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"answered a body that is not a problem: {e.Message}";
        }
        return null;
    }

    /// <summary>The machine code of a problem answer, or the status alone for an empty body.</summary>
    public static string Code(HostileAnswer answer)
    {
        if (answer.Body.Length == 0 || answer.ContentType?.Contains("json", StringComparison.Ordinal) != true)
            return answer.Status.ToString();
        try
        {
            using var problem = JsonDocument.Parse(answer.Body);
            return problem.RootElement.TryGetProperty("code", out var code) ? $"{answer.Status} {code.GetString()}" : answer.Status.ToString();
        }
        catch (JsonException)
        {
            return answer.Status.ToString();
        }
    }

    /// <summary>How many answers of each status and code, for the test's output.</summary>
    public static string Tally(IEnumerable<HostileAnswer> answers) => string.Join(", ",
        answers.GroupBy(Code).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} × {g.Key}"));

    /// <summary>Fails with every broken case listed (the first 40), so one run shows the whole picture.</summary>
    public static void AssertNone(List<string> failures, int total)
    {
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {total} cases broke the rules:\n{string.Join('\n', failures.Take(40))}");
    }

    public static bool IsRateLimited(HostileAnswer answer) =>
        answer.Status == (int)HttpStatusCode.TooManyRequests
        && answer.Headers.ContainsKey("Retry-After")
        && Encoding.UTF8.GetString(answer.Body).Contains("\"code\":\"rate_limited\"", StringComparison.Ordinal);
}
