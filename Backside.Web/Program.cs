using Backside.Core.Audit;
using Backside.Core.Data;
using Backside.Web.Authentication.Jwt;
using Backside.Web.Api;
using Backside.Web.Audit;
using Backside.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddBacksideCore();
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
await app.Services.GetRequiredService<JwtSigningKeyProvider>().InitializeAsync();
await app.Services.GetRequiredService<AuditHmacKeyProvider>().InitializeAsync();
await app.Services.SealAuditChainsAsync();

app.UseForwardedHeaders();
app.UseBacksideSecurityHeaders();
app.UseBacksideDashboardErrors();  // the Error page; before the API's errors, which keep /api exceptions to themselves
app.UseBacksideApiErrors();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseAuthentication();
app.UseBacksidePayments();
app.UseBacksideRateLimits();
app.UseAuthorization();
app.UseAntiforgery();

app.MapBacksideApi();
app.MapHealthEndpoints();
app.MapBacksideOpenApi();
app.MapBacksideDashboard();

app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
