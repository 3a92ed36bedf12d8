using Backside.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Backside.Web.Components.Account;

/// <summary>
/// Where passkeys belong and how they are checked. Identity's default origin check compares the credential's origin
/// with the request's <c>Origin</c> header, but every page here is served with <c>Referrer-Policy: no-referrer</c>,
/// under which the browser posts forms with <c>Origin: null</c>: no passkey could ever be added or used. The origin
/// is checked against this installation's own instead: <c>App:PublicBaseUrl</c> when set (the address people use,
/// whose host is also the relying-party id), else the address the request came to (Development, the tests).
/// </summary>
public sealed class PasskeyOptionsSetup(IOptions<AppOptions> app) : IConfigureOptions<IdentityPasskeyOptions>
{
    public void Configure(IdentityPasskeyOptions options)
    {
        var publicBase = app.Value.PublicBaseUri;
        if (publicBase is not null)
            options.ServerDomain = publicBase.Host;
        // A passkey stands in for the password and the authenticator code together only when the device checked
        // its owner (PIN, fingerprint, face); one that merely proves presence is refused.
        options.UserVerificationRequirement = "required";
        options.ValidateOrigin = context => ValueTask.FromResult(
            !context.CrossOrigin && context.TopOrigin is null
            && string.Equals(context.Origin, ExpectedOrigin(publicBase, context.HttpContext.Request), StringComparison.Ordinal));
    }

    private static string ExpectedOrigin(Uri? publicBase, HttpRequest request) =>
        publicBase is not null ? publicBase.GetLeftPart(UriPartial.Authority) : $"{request.Scheme}://{request.Host}";
}
