using System.Net.Http.Headers;
using Backside.Web.Api;
using Backside.Web.Payments;
using Microsoft.Extensions.Options;

namespace Backside.Web.Extensions;

public static class PaymentExtensions
{
    /// <summary>The x402 rail: options checked on start, priced routes, the facilitator client and its start-up check.</summary>
    public static WebApplicationBuilder AddBacksidePayments(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<X402Options>().BindConfiguration(X402Options.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<X402Options>, X402OptionsValidator>();
        services.AddSingleton<PricedRoutes>();
        services.AddHttpClient<FacilitatorClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<X402Options>>().Value;
            // Relative paths ("verify", "settle") resolve under the facilitator's own path only with a trailing slash.
            http.BaseAddress = new Uri(options.FacilitatorUrl.TrimEnd('/') + "/");
            // Each call sets its own deadline (verify short, settle long).
            http.Timeout = Timeout.InfiniteTimeSpan;
            if (!string.IsNullOrWhiteSpace(options.FacilitatorAuthorization))
                http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(options.FacilitatorAuthorization);
        });
        services.AddHostedService<FacilitatorStartupCheck>();
        return builder;
    }

    /// <summary>On <c>/api</c>, after authentication (which tells keyed callers apart) and before rate limits.</summary>
    public static WebApplication UseBacksidePayments(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<X402Options>>().Value is { Enabled: true, Routes.Count: > 0 })
            app.UseWhen(ApiRoutes.IsApiRequest, api => api.UseMiddleware<X402PaymentMiddleware>());
        return app;
    }
}
