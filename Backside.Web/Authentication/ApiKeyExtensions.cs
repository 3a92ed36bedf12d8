using Microsoft.AspNetCore.Authentication;

namespace Backside.Web.Authentication;

public static class ApiKeyExtensions
{
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder) =>
        builder.AddApiKey(ApiKeyDefaults.AuthenticationScheme, _ => { });

    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder, Action<ApiKeyOptions> configure) =>
        builder.AddApiKey(ApiKeyDefaults.AuthenticationScheme, configure);

    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder, string authenticationScheme, Action<ApiKeyOptions> configure) =>
        // No display name: Identity lists every named scheme as an external sign-in provider, which this is not.
        builder.AddScheme<ApiKeyOptions, ApiKeyHandler>(authenticationScheme, displayName: null, configure);
}
