using System.Security.Cryptography;
using System.Text;
using Backside.Core.ApiKeys;

namespace Backside.Tests.Core;

public class ApiKeyFormatTests
{
    [Theory]
    [InlineData(true, "bsk_live_")]
    [InlineData(false, "bsk_test_")]
    public void Generated_key_has_the_prefix_length_and_alphabet_of_the_design(bool livemode, string prefix)
    {
        var key = ApiKeyFormat.Generate(livemode);

        Assert.Equal(52, key.Length);
        Assert.StartsWith(prefix, key);
        Assert.All(key[9..], c => Assert.Contains(c, ApiKeyFormat.Alphabet));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Generated_key_parses_and_reports_its_mode(bool livemode)
    {
        var key = ApiKeyFormat.Generate(livemode);

        Assert.True(ApiKeyFormat.TryParse(key, out var parsedLivemode));
        Assert.Equal(livemode, parsedLivemode);
    }

    [Fact]
    public void Checksum_is_the_crc32_of_the_body_in_six_base62_digits()
    {
        // CRC-32/IEEE of "123456789" is 0xCBF43926, the standard check value; 3421780262 in base62 is 3jZRME.
        Assert.Equal("3jZRME", ApiKeyFormat.Checksum("123456789"));

        var key = ApiKeyFormat.Generate(livemode: true);
        Assert.Equal(key[46..], ApiKeyFormat.Checksum(key.AsSpan(0, 46)));
    }

    [Fact]
    public void Changing_any_one_character_after_the_prefix_is_rejected()
    {
        var key = ApiKeyFormat.Generate(livemode: true);

        for (var position = 9; position < key.Length; position++)
        {
            var chars = key.ToCharArray();
            var index = ApiKeyFormat.Alphabet.IndexOf(chars[position]);
            chars[position] = ApiKeyFormat.Alphabet[(index + 1 + position) % ApiKeyFormat.Alphabet.Length];
            Assert.False(ApiKeyFormat.TryParse(new string(chars), out _), $"A change at position {position} was accepted.");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("bsk_live_")]
    [InlineData("garbage")]
    [InlineData("Bearer bsk_live_0123456789")]
    public void Strings_that_are_not_keys_are_rejected(string candidate)
    {
        Assert.False(ApiKeyFormat.TryParse(candidate, out _));
    }

    [Fact]
    public void Wrong_length_prefix_or_alphabet_is_rejected_even_with_a_valid_checksum()
    {
        var key = ApiKeyFormat.Generate(livemode: true);
        var random = key[9..46];

        Assert.False(ApiKeyFormat.TryParse(key.AsSpan(0, 51), out _));
        Assert.False(ApiKeyFormat.TryParse(key + "0", out _));
        Assert.False(ApiKeyFormat.TryParse(WithChecksum("bsk_prod_" + random), out _));
        Assert.False(ApiKeyFormat.TryParse(WithChecksum("BSK_LIVE_" + random), out _));
        Assert.False(ApiKeyFormat.TryParse(WithChecksum("bsk_live_" + random[..36] + "-"), out _));
        Assert.False(ApiKeyFormat.TryParse(WithChecksum("bsk_live_" + random[..36] + "é"), out _));
        Assert.True(ApiKeyFormat.TryParse(WithChecksum("bsk_live_" + random), out _));

        static string WithChecksum(string body) => body + ApiKeyFormat.Checksum(body.AsSpan());
    }

    [Fact]
    public void Generated_keys_are_unique_and_use_the_whole_alphabet_evenly()
    {
        const int count = 20_000;
        var keys = Enumerable.Range(0, count).Select(_ => ApiKeyFormat.Generate(livemode: false)).ToList();

        Assert.Equal(count, keys.Distinct().Count());

        // 740,000 random characters over 62 symbols: about 11,935 each. A biased generator (e.g. byte % 62) or a
        // smaller alphabet would push some symbols far outside ±5%.
        var frequencies = keys.SelectMany(k => k[9..46]).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(62, frequencies.Count);
        var expected = count * 37.0 / 62;
        Assert.All(frequencies, f => Assert.InRange(f.Value, expected * 0.95, expected * 1.05));
    }

    [Fact]
    public void Hint_shows_the_prefix_four_characters_and_the_last_four_only()
    {
        var key = ApiKeyFormat.Generate(livemode: true);

        var hint = ApiKeyFormat.Hint(key);

        Assert.Equal($"{key[..13]}…{key[^4..]}", hint);
        Assert.DoesNotContain(key[13..48], hint);
    }

    [Fact]
    public void Hash_is_the_sha256_of_the_whole_key()
    {
        // Worked out independently (Python hashlib) for a fixed, valid key.
        const string key = "bsk_test_0123456789abcdefghijABCDEFGHIJKLMNOPQ3yznpb";

        Assert.True(ApiKeyFormat.TryParse(key, out _));
        Assert.Equal("dc7edb073b9c01ab919e1a40eb1be8a8ea89dc633f02abc91642a63762aafa47", Convert.ToHexStringLower(ApiKeyFormat.Hash(key)));
    }

    [Fact]
    public void Hash_matches_the_platform_sha256_for_many_keys_hashed_on_many_threads_at_once()
    {
        var keys = Enumerable.Range(0, 2_000).Select(i => ApiKeyFormat.Generate(livemode: i % 2 == 0)).ToArray();

        var mismatches = keys.AsParallel().WithDegreeOfParallelism(8)
            .Count(key => !ApiKeyFormat.Hash(key).AsSpan().SequenceEqual(SHA256.HashData(Encoding.ASCII.GetBytes(key))));

        Assert.Equal(0, mismatches);
    }
}
