using System.Buffers;
using System.Text;
using Backside.Core.ApiKeys;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Core;

/// <summary>The credential cache's second-level format: what it writes is read back, and nothing else is.</summary>
public class CachedCredentialSerializerTests
{
    private readonly CachedCredentialSerializer serializer = new(new ApiKeyCacheCoherence(new FakeTimeProvider()));

    private static readonly ApiKeyCredential Credential = new(
        "key_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b", "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b", true, ["contacts:read"], ApiKeyStatus.Active,
        null, null, ["203.0.113.0/24"], [], Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), null, "Pro", 3000, 60000);

    [Fact]
    public void An_entry_is_read_back_with_its_plan_limits()
    {
        var bytes = Write(new CachedCredential(Credential));

        var read = serializer.Deserialize(new ReadOnlySequence<byte>(bytes));

        Assert.NotNull(read?.Credential);
        Assert.Equal(Credential.Id, read.Credential.Id);
        Assert.Equal(Credential.SecretHash, read.Credential.SecretHash);
        Assert.Equal(new EffectiveRateLimit(3000, RateLimitSource.PlanDefault, "Pro"), read.Credential.RateLimit);
        Assert.Contains($"\"format\":{CachedCredentialSerializer.Format}", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    /// <summary>
    /// The first format, as an instance before plans wrote it: read into the new shape it would carry a plan limit of 0
    /// (every request refused), so it must be a miss (null), which sends the lookup to the database.
    /// </summary>
    [Fact]
    public void An_entry_in_the_old_format_is_a_miss()
    {
        var old = """
            {"credential":{"id":"key_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b","organizationId":"org_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b",
            "livemode":true,"scopeValues":null,"status":0,"expiresAt":null,"rateLimitPerMinute":null,"allowedIps":[],
            "allowedReferrers":[],"secretHash":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","secretExpiresAt":null}}
            """;

        Assert.Null(serializer.Deserialize(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(old))));
    }

    [Theory]
    [InlineData("""{"format":1,"entry":{"credential":null}}""")]
    [InlineData("""{"format":3,"entry":{"credential":null}}""")]
    [InlineData("""{"format":"2"}""")]
    [InlineData("not json")]
    [InlineData("")]
    public void An_entry_of_any_other_format_or_none_is_a_miss(string stored)
    {
        Assert.Null(serializer.Deserialize(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(stored))));
    }

    private byte[] Write(CachedCredential value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
