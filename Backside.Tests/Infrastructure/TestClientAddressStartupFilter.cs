using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// The in-process test server has no sockets, so no client address. This sets the connection's address from a
/// test-only header before the app's pipeline (ForwardedHeaders included) runs, as a real connection would.
/// </summary>
public sealed class TestClientAddressStartupFilter : IStartupFilter
{
    public const string HeaderName = "X-Test-Connection-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(HeaderName, out var address))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                context.Request.Headers.Remove(HeaderName);
            }
            return nextMiddleware(context);
        });
        next(app);
    };
}
