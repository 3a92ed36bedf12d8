using Backside.Web.Components;
using Backside.Web.Components.Account;
using Backside.Web.Dashboard;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.Features;
using MudBlazor.Services;

namespace Backside.Web.Extensions;

public static class DashboardExtensions
{
    /// <summary>The most a form field, or a whole multipart form, may hold: the account pages need a few hundred bytes.</summary>
    public const int FormLimit = 64 * 1024;

    /// <summary>The most fields a form may have: the largest account page posts fewer than ten.</summary>
    public const int FormFieldLimit = 64;

    /// <summary>The Blazor dashboard: Identity pages rendered statically, everything else interactive on the server.</summary>
    public static WebApplicationBuilder AddBacksideDashboard(this WebApplicationBuilder builder)
    {
        // Run from build output (dotnet run, the tests), MapStaticAssets adds a GET/HEAD fallback for files missing from
        // its manifest, and routing counts it on every path: a GET to a POST-only API route answered 404, and every
        // 405's Allow named GET and HEAD. A published app has no such fallback; without it every run routes the same.
        builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] ??= "true";
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AccountSecurityEvents>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<DashboardCaller>();
        services.AddSingleton<ActiveOrganizationCookie>();
        services.AddHttpContextAccessor();
        // Forms are read (by antiforgery, before any page code) within these limits; a larger one is refused with
        // 400 instead of being held in memory. The API takes no forms, so the limits are global.
        services.Configure<FormOptions>(options =>
        {
            options.ValueLengthLimit = FormLimit;
            options.MultipartBodyLengthLimit = FormLimit;
            options.ValueCountLimit = FormFieldLimit;
        });
        services.AddMudServices(options =>
        {
            // Bottom right keeps confirmations clear of the page's action buttons.
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        return builder;
    }

    /// <summary>
    /// Page loads check the browser's organization cookie against the person's memberships (see
    /// <see cref="ActiveOrganizationMiddleware"/>); after authentication, since it reads the signed-in person.
    /// </summary>
    public static WebApplication UseBacksideActiveOrganization(this WebApplication app)
    {
        app.UseMiddleware<ActiveOrganizationMiddleware>();
        return app;
    }

    /// <summary>
    /// The friendly error page and, outside <c>/api</c>, the not-found page (<see cref="NotFoundPageMiddleware"/>). The error handler sits on the app itself,
    /// ahead of the API's own (which answers every <c>/api</c> exception with problem+json before this one sees it):
    /// inside a branch it would re-execute <c>/Error</c> without routing and answer an empty 404-turned-500.
    /// </summary>
    public static WebApplication UseBacksideDashboardErrors(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseWhen(context => !Api.ApiRoutes.IsApiRequest(context), pages => pages.UseMiddleware<NotFoundPageMiddleware>());
        return app;
    }

    public static WebApplication MapBacksideDashboard(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapActiveOrganizationEndpoints();
        app.MapThemeEndpoints();
        app.MapAuditExportEndpoints();
        return app;
    }
}
