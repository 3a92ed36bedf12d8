using Backside.Core.Audit;
using Backside.Core.Data;
using Backside.Web.Api;
using Backside.Web.Audit;
using Backside.Web.Authentication.Jwt;
using Backside.Web.Extensions;
using Backside.Web.Secrets;

var builder = WebApplication.CreateBuilder(args);

builder.AddBacksideCore();
builder.AddBacksideRedis();
builder.AddBacksideSharedCache();
builder.AddBacksideAudit();
builder.AddBacksideNetwork();
builder.AddBacksideAuthentication();
builder.AddBacksideEmail();
builder.AddBacksideApi();
builder.AddBacksidePayments();
builder.AddBacksideOpenApi();
builder.AddBacksideDashboard();
builder.AddBacksideSecurityHeaders();

var app = builder.Build();

await app.Services.MigrateBacksideDatabaseAsync();
await app.Services.ImportFileKeyRingAsync();
await app.Services.GetRequiredService<JwtSigningKeyProvider>().InitializeAsync();
await app.Services.GetRequiredService<AuditHmacKeyProvider>().InitializeAsync();
await app.Services.SealAuditChainsAsync();

// The request path, in order; README "How a keyed request is handled" follows it step by step.
app.UseForwardedHeaders();          // the client's address, believed from trusted proxies only
app.UseBacksideSecurityHeaders();   // nosniff, no-referrer, CSP, no-store where a secret or credential is
app.UseBacksideDashboardErrors();   // pages: the error and not-found pages (/api keeps its exceptions to itself)
app.UseBacksideUsageCounting();     // /api: each keyed request counted by its final status
app.UseBacksideApiErrors();         // /api: exceptions, 404s and 405s as problem+json
app.UseBacksideInputGuard();        // /api: one credential, a capped UTF-8 body
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseAuthentication();            // the key rail, forwarding to the access-token rail and the cookie
app.UseBacksidePayments();          // /api: x402 on priced routes, for callers without a credential
app.UseRefusedKeyAnswer();          // /api: a refused key's 401, before any more work
app.UseBacksideRateLimits();        // /api: the key's per-minute budget
app.UseAuthorization();             // the caller, its key's allowlists, the endpoint's scope
app.UseAntiforgery();
app.UseBacksideActiveOrganization(); // pages: the browser's organization cookie, checked against the membership

app.MapBacksideApi();
app.MapHealthEndpoints();
app.MapBacksideOpenApi();
app.MapBacksideDashboard();

app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
