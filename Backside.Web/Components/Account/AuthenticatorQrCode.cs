using System.Globalization;
using System.Text.Encodings.Web;
using QRCoder;

namespace Backside.Web.Components.Account;

/// <summary>The <c>otpauth://</c> enrolment URI and its QR code, drawn as SVG on the server (no outside service sees the secret).</summary>
public static class AuthenticatorQrCode
{
    public const string Issuer = "Backside";

    public static string Uri(string email, string secret) => string.Format(
        CultureInfo.InvariantCulture,
        "otpauth://totp/{0}:{1}?secret={2}&issuer={0}&digits=6&period=30",
        UrlEncoder.Default.Encode(Issuer),
        UrlEncoder.Default.Encode(email),
        secret);

    public static string Svg(string uri)
    {
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(5);
    }
}
