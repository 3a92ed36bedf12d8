namespace Backside.Web.Dashboard;

public static class ScopedServices
{
    /// <summary>
    /// Runs <paramref name="work"/> with a service from a fresh DI scope. A Blazor Server circuit is one long-lived
    /// scope, and a DbContext must neither live that long nor serve two overlapping renders; one scope per action avoids both.
    /// </summary>
    public static async Task<TResult> RunAsync<TService, TResult>(this IServiceScopeFactory scopes, Func<TService, Task<TResult>> work)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
