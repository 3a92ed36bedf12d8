using System.Text;
using System.Text.Json.Nodes;
using Backside.Tests.Infrastructure;
using Backside.Web.Api;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>
/// The 401s of the key rail are written from prepared bytes (a hot-path trick). They must stay exactly what the
/// problem details service writes for the same problem: this fails if a framework change alters that format.
/// </summary>
public class PreparedProblemTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    public static TheoryData<string> Failures() => ["missing", "invalid", "pair", "authorization", "revoked", "expired", "inactive", "throttled"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Prepared_bytes_are_what_the_problem_details_service_writes(string name)
    {
        var failure = name switch
        {
            "missing" => ApiKeyFailure.MissingCredentials,
            "invalid" => ApiKeyFailure.Invalid,
            "pair" => ApiKeyFailure.IncompletePair,
            "authorization" => ApiKeyFailure.UnsupportedAuthorization,
            "revoked" => ApiKeyFailure.Revoked,
            "expired" => ApiKeyFailure.Expired,
            "inactive" => ApiKeyFailure.Inactive,
            _ => ApiKeyFailure.LookupsThrottled(42),
        };

        var (preparedStatus, prepared) = await WriteAsync(context => ApiProblem.WriteAsync(context, failure.Problem));
        var (serviceStatus, written) = await WriteAsync(context => ApiProblem.WriteAsync(context, failure.Problem.Problem));

        Assert.Equal(serviceStatus, preparedStatus);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(prepared)), $"prepared {prepared}\nservice  {written}");
        Assert.Contains("\"trace_id\":\"trace-1\"", prepared);
    }

    private async Task<(int Status, string Body)> WriteAsync(Func<HttpContext, Task> write)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, TraceIdentifier = "trace-1" };
        context.Request.Path = "/api/v1/ping";
        var body = new MemoryStream();
        context.Response.Body = body;
        System.Diagnostics.Activity.Current = null;
        await write(context);
        await context.Response.Body.FlushAsync();
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }
}
