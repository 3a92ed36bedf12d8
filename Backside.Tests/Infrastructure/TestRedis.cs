namespace Backside.Tests.Infrastructure;

/// <summary>The Redis that <c>scripts/test</c> starts for the run, shared by every test: each uses a key prefix of its own.</summary>
public static class TestRedis
{
    public const string Variable = "BACKSIDE_TEST_REDIS";

    /// <summary>The StackExchange.Redis configuration string of the run's Redis; a test without it fails.</summary>
    public static string Configuration =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configuration
            ? configuration
            : throw new InvalidOperationException($"{Variable} is not set: run scripts/test, which starts a Redis for the tests.");

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewKeyPrefix() => $"test:{Guid.NewGuid():N}:";
}
