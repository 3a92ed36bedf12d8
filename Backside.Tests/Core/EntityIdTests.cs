using Backside.Core.Common;

namespace Backside.Tests.Core;

public class EntityIdTests
{
    [Fact]
    public void Ids_made_in_the_same_millisecond_still_sort_in_creation_order()
    {
        var generator = new UuidV7Generator();
        var frozen = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 5000).Select(_ => $"key_{generator.Next(frozen):x32}").ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_are_prefixed_version_7_uuids()
    {
        var id = EntityId.New(EntityId.ContactPrefix);

        Assert.True(EntityId.HasShape(id, EntityId.ContactPrefix));
        Assert.True(Guid.TryParseExact(id["con_".Length..], "N", out var guid) && guid.Version == 7);
    }

    [Fact]
    public void Uuids_start_with_the_time_and_never_go_back()
    {
        var generator = new UuidV7Generator();
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        var first = generator.Next(at);
        var afterClockStepBack = generator.Next(at.AddSeconds(-5));

        var hex = first.ToString("x32");
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(hex[..12], 16));
        Assert.Equal('7', hex[12]);
        Assert.Contains(hex[16], "89ab");
        Assert.True(afterClockStepBack > first);
    }

    [Theory]
    [InlineData("key_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b", "key", true)]
    [InlineData("key_0193A0B1C2D37E4F8A9B0C1D2E3F4A5B", "key", false)]
    [InlineData("con_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b", "key", false)]
    [InlineData("key_0193a0b1", "key", false)]
    [InlineData(null, "key", false)]
    public void Shape_check_accepts_only_well_formed_ids_of_the_type(string? value, string prefix, bool expected)
    {
        Assert.Equal(expected, EntityId.HasShape(value, prefix));
    }
}
