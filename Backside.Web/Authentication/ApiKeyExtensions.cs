using Microsoft.AspNetCore.Authentication;

namespace Backside.Web.Authentication;

public static class ApiKeyExtensions
{
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder) =>
        builder.AddApiKey(ApiKeyDefaults.AuthenticationScheme, _ => { });

    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder, Action<ApiKeyOptions> configure) =>
        builder.AddApiKey(ApiKeyDefaults.AuthenticationScheme, configure);

    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder, string authenticationScheme, Action<ApiKeyOptions> configure) =>
        builder.AddScheme<ApiKeyOptions, ApiKeyHandler>(authenticationScheme, displayName: "API key", configure);
}
