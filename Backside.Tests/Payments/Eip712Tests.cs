using System.Numerics;
using Backside.Core.Payments;
using Backside.Core.Payments.Evm;

namespace Backside.Tests.Payments;

/// <summary>The constants and the worked example of docs/x402.md#networks-and-typed-data and docs/x402.md#worked-example.</summary>
public class Eip712Tests
{
    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    [Fact]
    public void Keccak_is_the_original_padding_not_sha3() =>
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex(Keccak256.Hash([])));

    [Fact]
    public void Type_hashes_match_the_protocol()
    {
        Assert.Equal("0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f", Hex(Eip712.DomainTypeHash));
        Assert.Equal("0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267", Hex(Eip712.TransferTypeHash));
    }

    [Theory]
    [InlineData("base", "0x02fa7265e7c5d81118673727957699e4d68f74cd74b7db77da710fe8a2c7834f")]
    [InlineData("base-sepolia", "0x71f17a3b2ff373b803d70a5a07c046c1a2bc8e89c09ef722fcb047abe94c9818")]
    public void Domain_separators_of_usdc_match_the_protocol(string network, string expected)
    {
        var chain = X402Network.Find(network)!;
        Assert.Equal(expected, Hex(Eip712.DomainSeparator(new Eip712Domain(chain.TokenName, chain.TokenVersion, chain.ChainId, chain.Asset))));
    }

    [Fact]
    public void Worked_example_hashes_to_the_published_digest()
    {
        var authorization = new TransferAuthorization(
            "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", "0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70",
            new BigInteger(10000), BigInteger.Zero, new BigInteger(1750000060),
            Convert.FromHexString("52b9d1212d9462786dd052a7616d9bb6e68c91dd00c4fb6c497daf97769e9c00"));
        var chain = X402Network.Base;
        var domain = new Eip712Domain(chain.TokenName, chain.TokenVersion, chain.ChainId, chain.Asset);

        Assert.Equal("0xe4a6ae3e4d7c895b4401dc729a1b0ec468ecaa5cba5ae89f3e07b8d7f5ced5b2", Hex(Eip712.HashStruct(authorization)));
        Assert.Equal("0x5f4c0d6dae91bbeae862d2a603a95045249e28170ae53d7e3a9c3e6edd216b39", Hex(Eip712.Digest(domain, authorization)));
    }

    [Fact]
    public void Checksum_addresses_follow_eip55() =>
        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            EvmAddress.ToChecksum(Convert.FromHexString("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")));
}
