using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Web.Api;
using Backside.Web.Authentication;
using Backside.Web.Authentication.Jwt;
using Backside.Web.Authorization;
using Backside.Web.Components.Account;
using Backside.Web.Secrets;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Backside.Web.Extensions;

public static class AuthenticationExtensions
{
    /// <summary>
    /// The key rail as the default scheme, forwarding pages to Identity cookies and bearer tokens that are not
    /// keys to the access-token rail (see <see cref="ApiAuthenticationDefaults"/>); two-factor with replay-proof codes; lockout; a policy per scope.
    /// </summary>
    public static WebApplicationBuilder AddBacksideAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = ApiKeyDefaults.AuthenticationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddApiKey(options => options.ForwardDefaultSelector = ApiAuthenticationDefaults.ForwardFromKeyRail)
            .AddJwtBearer(ApiAuthenticationDefaults.JwtScheme, displayName: null, _ => { })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(options =>
                // The stamp is checked on every request (below), so re-issuing the cookie after each check buys
                // nothing, and it races: a response to a request sent just before a security change would put
                // the old cookie back over the new one, and the person's next request would be signed out.
                options.Events.OnValidatePrincipal = async context =>
                {
                    await SecurityStampValidator.ValidatePrincipalAsync(context);
                    context.ShouldRenew = false;
                }));
        // Each rail builds the request's Caller once and keeps it on its CallerIdentity; endpoints take it as a
        // parameter, resolved from the request (so it is no part of the OpenAPI document).
        services.AddHttpContextAccessor();
        services.AddTransient(provider => CallerIdentity.Of(provider.GetRequiredService<IHttpContextAccessor>().HttpContext));
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        // Refusals are counted and summarised once a minute, not logged one by one (see appsettings.json).
        services.AddSingleton<RefusalCounter>();
        services.AddHostedService<RefusalSummaryService>();

        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ServerSecretStore>();
        services.AddSingleton<JwtSigningKeyProvider>();
        services.AddSingleton<AccessTokenIssuer>();

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.Tokens.AuthenticatorTokenProvider = BacksideAuthenticatorTokenProvider.ProviderName;
            })
            .AddEntityFrameworkStores<BacksideDbContext>()
            .AddUserStore<BacksideUserStore>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<BacksideAuthenticatorTokenProvider>(BacksideAuthenticatorTokenProvider.ProviderName);
        // The cookie's security stamp is checked on every request, so a security change (which changes the stamp)
        // ends the account's other dashboard sessions at once rather than within Identity's default 30 minutes.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        services.AddSingleton<IConfigureOptions<IdentityPasskeyOptions>, PasskeyOptionsSetup>();

        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.SectionName);
        services.AddSingleton<OperatorRequirement>();
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<OperatorRequirement>((options, operatorRequirement) =>
        {
            options.AddScopePolicies();
            options.AddPolicy(OperatorRequirement.PolicyName, policy => policy.RequireAuthenticatedUser().AddRequirements(operatorRequirement));
        });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        UseSingletonAuthorizationServices(services);
        return builder;
    }

    /// <summary>
    /// The framework registers the authorization services as transient, so every API request activates a new
    /// policy evaluator, authorization service, handler provider, handler list, evaluator and context factory. They
    /// hold no state and every authorization handler here is a singleton, so one of each serves every request (the
    /// container's scope validation would refuse a scoped handler added later, in Development and in the tests).
    /// A test holds this to the framework: each service resolves to one instance, and the pass-through handler is
    /// registered exactly once, so a framework upgrade that adds or renames one fails there, not in production.
    /// </summary>
    private static void UseSingletonAuthorizationServices(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, PolicyEvaluator>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationService, DefaultAuthorizationService>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationHandlerProvider, DefaultAuthorizationHandlerProvider>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationEvaluator, DefaultAuthorizationEvaluator>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationHandlerContextFactory, DefaultAuthorizationHandlerContextFactory>());
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IAuthorizationHandler) && services[i].ImplementationType == typeof(PassThroughAuthorizationHandler))
                services.RemoveAt(i);
        }
        services.AddSingleton<IAuthorizationHandler, PassThroughAuthorizationHandler>();
    }

    /// <summary>Validates access tokens with our key and clock, and answers 401/403 as problem+json.</summary>
    private sealed class ConfigureJwtBearer(
        IOptions<JwtOptions> jwt, JwtSigningKeyProvider keys, AccessTokenIssuer issuer, RefusalCounter refusals)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name != ApiAuthenticationDefaults.JwtScheme)
                return;
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Value.Issuer,
                ValidAudience = jwt.Value.Audience,
                IssuerSigningKeyResolver = (_, _, _, _) => [keys.Key],
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                LifetimeValidator = (notBefore, expires, _, _) => issuer.IsWithinLifetime(notBefore, expires),
                NameClaimType = "sub",
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = AccessTokenIssuer.AttachCallerAsync,
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var expired = context.AuthenticateFailure is SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException;
                    context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{ApiKeyDefaults.Realm}\", error=\"invalid_token\"";
                    var problem = context.AuthenticateFailure is AccessTokenRefusedException refused
                        ? ApiProblem.Create(StatusCodes.Status401Unauthorized, refused.Code, refused.Title, refused.Message)
                        : expired
                        ? ApiProblem.Create(StatusCodes.Status401Unauthorized, "access_token_expired", "Access token expired",
                            "The access token has expired. Get a new one from /api/v1/auth/refresh.")
                        : ApiProblem.Create(StatusCodes.Status401Unauthorized, "invalid_access_token", "Invalid access token",
                            "The bearer token is neither an API key nor a valid access token.");
                    refusals.Count((string)problem.Extensions[ApiProblem.CodeKey]!);
                    await ApiProblem.WriteAsync(context.HttpContext, problem);
                },
                // The reasons of /api/v1 never come here: ApiAuthorizationResultHandler writes those 403s itself.
                OnForbidden = context =>
                {
                    refusals.Count("forbidden");
                    return ApiProblem.WriteAsync(context.HttpContext, ApiProblem.Forbidden());
                },
            };
        }

        public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
    }
}
