using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

/// <summary>
/// A problem known in full before the request but for its trace id, serialized once. A 401 answers every bad key
/// of a credential-stuffing flood; <see cref="ApiProblem.WriteAsync(HttpContext, PreparedProblem)"/> writes it from
/// these bytes instead of serializing it per request. A test holds the bytes to what the problem details service
/// writes for <see cref="Problem"/>, so a framework change to that format cannot make the two drift apart.
/// </summary>
public sealed class PreparedProblem
{
    public PreparedProblem(ProblemDetails problem)
    {
        Problem = problem;
        // The members as the problem details service writes them, then the trace id it adds last.
        var json = JsonSerializer.Serialize(problem);
        Prefix = Encoding.UTF8.GetBytes(json[..^1] + ",\"" + ApiProblem.TraceIdKey + "\":\"");
    }

    /// <summary>What the bytes say, for the test that compares them with the framework's writer.</summary>
    public ProblemDetails Problem { get; }

    public int Status => Problem.Status ?? StatusCodes.Status500InternalServerError;

    /// <summary>The UTF-8 problem up to the trace id's value.</summary>
    internal byte[] Prefix { get; }

    internal static ReadOnlySpan<byte> Suffix => "\"}"u8;
}
