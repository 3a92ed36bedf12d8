namespace Backside.Web.Api;

public static class ApiRoutes
{
    public const string Prefix = "/api";
    public const string V1 = "/api/v1";

    public static bool IsApiRequest(HttpContext context) => context.Request.Path.StartsWithSegments(Prefix);
}
