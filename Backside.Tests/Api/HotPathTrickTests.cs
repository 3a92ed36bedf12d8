using System.Net;
using Backside.Tests.Infrastructure;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>The app, with a probe that keeps the last request's identity after the pipeline is done with it.</summary>
public sealed class IdentityProbeAppFactory : BacksideAppFactory
{
    public System.Security.Claims.ClaimsIdentity? LastIdentity { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter>(_ => new Probe(this)));
    }

    private sealed class Probe(IdentityProbeAppFactory factory) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                await nextMiddleware(context);
                factory.LastIdentity = context.User.Identity as System.Security.Claims.ClaimsIdentity;
            });
            next(app);
        };
    }
}

/// <summary>
/// The hot path's tricks, each held to the framework it depends on: if an upgrade makes one of them stop working,
/// these fail (the figures of what each buys are in bench/README.md).
/// </summary>
public class HotPathTrickTests(IdentityProbeAppFactory app) : IClassFixture<IdentityProbeAppFactory>
{
    [Fact]
    public async Task The_authorization_services_are_one_instance_each_for_every_request()
    {
        Type[] services = [typeof(IPolicyEvaluator), typeof(IAuthorizationService), typeof(IAuthorizationHandlerProvider),
            typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandlerContextFactory)];
        await using var first = app.Services.CreateAsyncScope();
        await using var second = app.Services.CreateAsyncScope();

        foreach (var service in services)
            Assert.Same(first.ServiceProvider.GetRequiredService(service), second.ServiceProvider.GetRequiredService(service));
        var passThrough = Assert.Single(first.ServiceProvider.GetServices<IAuthorizationHandler>().OfType<PassThroughAuthorizationHandler>());
        Assert.Same(passThrough, second.ServiceProvider.GetServices<IAuthorizationHandler>().OfType<PassThroughAuthorizationHandler>().Single());
    }

    [Fact]
    public async Task A_keyed_request_answered_in_full_never_makes_its_claims()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(scopes: null);

        var response = await client.GetAsync("/api/v1/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var identity = Assert.IsType<CallerIdentity>(app.LastIdentity);
        Assert.False(identity.ClaimsMade, "Something in the pipeline read the claims of a keyed request.");
    }
}
