using Backside.Web.Components;
using Backside.Web.Components.Account;
using Backside.Web.Dashboard;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace Backside.Web.Extensions;

public static class DashboardExtensions
{
    /// <summary>The Blazor dashboard: Identity pages rendered statically, everything else interactive on the server.</summary>
    public static WebApplicationBuilder AddBacksideDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<DashboardCaller>();
        services.AddHttpContextAccessor();
        services.AddMudServices(options =>
        {
            // Bottom right keeps confirmations clear of the page's action buttons.
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        return builder;
    }

    /// <summary>Outside <c>/api</c>: the friendly error and not-found pages.</summary>
    public static WebApplication UseBacksideDashboardErrors(this WebApplication app)
    {
        app.UseWhen(context => !Api.ApiRoutes.IsApiRequest(context), pages =>
        {
            if (!app.Environment.IsDevelopment())
                pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        return app;
    }

    public static WebApplication MapBacksideDashboard(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
