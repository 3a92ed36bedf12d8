using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Backside.Core.Payments;
using Backside.Core.Payments.Evm;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Backside.Tests.Payments;

/// <summary>
/// A throw-away wallet that signs x402 payments the way the official clients do, for API tests. (The interop test
/// uses the real npm client instead of this.)
/// </summary>
public sealed class TestWallet
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private readonly BcBigInteger privateKey;

    public TestWallet(string? privateKeyHex = null)
    {
        var bytes = privateKeyHex is null ? RandomNumberGenerator.GetBytes(32) : Convert.FromHexString(privateKeyHex.Replace("0x", ""));
        privateKey = new BcBigInteger(1, bytes);
        var publicKey = Curve.G.Multiply(privateKey).Normalize().GetEncoded(false);
        Address = EvmAddress.ToChecksum(Keccak256.Hash(publicKey.AsSpan(1)).AsSpan(12));
    }

    public string Address { get; }

    /// <summary>The base64 header value paying <paramref name="offer"/> (a v1 or v2 requirement from the 402).</summary>
    public string Pay(int version, JsonObject offer, DateTimeOffset now, JsonObject? resource = null)
    {
        var network = X402Network.Find(offer["network"]!.GetValue<string>())!;
        var price = offer[version == 1 ? "maxAmountRequired" : "amount"]!.GetValue<string>();
        var validAfter = version == 1 ? now.ToUnixTimeSeconds() - 600 : 0;
        var validBefore = now.ToUnixTimeSeconds() + offer["maxTimeoutSeconds"]!.GetValue<int>();
        var nonce = RandomNumberGenerator.GetBytes(32);
        var payTo = offer["payTo"]!.GetValue<string>();
        var authorization = new TransferAuthorization(Address, payTo, BigInteger.Parse(price), validAfter, validBefore, nonce);
        var extra = offer["extra"]!;
        var domain = new Eip712Domain(extra["name"]!.GetValue<string>(), extra["version"]!.GetValue<string>(), network.ChainId, offer["asset"]!.GetValue<string>());

        var payload = new JsonObject
        {
            ["signature"] = Sign(Eip712.Digest(domain, authorization)),
            ["authorization"] = new JsonObject
            {
                ["from"] = Address,
                ["to"] = payTo,
                ["value"] = price,
                ["validAfter"] = validAfter.ToString(),
                ["validBefore"] = validBefore.ToString(),
                ["nonce"] = "0x" + Convert.ToHexStringLower(nonce),
            },
        };
        var message = version == 1
            ? new JsonObject { ["x402Version"] = 1, ["scheme"] = "exact", ["network"] = network.V1Name, ["payload"] = payload }
            : new JsonObject { ["x402Version"] = 2, ["payload"] = payload, ["resource"] = resource?.DeepClone(), ["accepted"] = offer.DeepClone() };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(message.ToJsonString()));
    }

    /// <summary>RFC 6979 ECDSA, low s, and v = 27 + the parity that recovers this wallet.</summary>
    private string Sign(byte[] digest)
    {
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(privateKey, new ECDomainParameters(Curve)));
        var rs = signer.GenerateSignature(digest);
        var (r, s) = (rs[0], rs[1]);
        if (s.CompareTo(Secp256k1.HalfOrder) > 0)
            s = Secp256k1.Order.Subtract(s);
        var odd = !Address.Equals(EvmAddress.ToChecksum(Secp256k1.RecoverAddress(digest, r, s, yIsOdd: false) ?? new byte[20]), StringComparison.Ordinal);
        var signature = new byte[65];
        var (rBytes, sBytes) = (r.ToByteArrayUnsigned(), s.ToByteArrayUnsigned());
        rBytes.CopyTo(signature, 32 - rBytes.Length);
        sBytes.CopyTo(signature, 64 - sBytes.Length);
        signature[64] = (byte)(odd ? 28 : 27);
        return "0x" + Convert.ToHexStringLower(signature);
    }
}
