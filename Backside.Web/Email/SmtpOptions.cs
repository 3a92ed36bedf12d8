using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace Backside.Web.Email;

/// <summary>The SMTP server that delivers Backside's mail. Without <see cref="Host"/> no mail is sent.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Email:Smtp";

    public string? Host { get; set; }

    /// <summary>587 (submission with STARTTLS) unless set; 465 means TLS from the first byte.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Both or neither: without them the server is used without authentication.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, such as <c>Backside &lt;no-reply@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>Require TLS (STARTTLS, or TLS on connect on port 465). Off only for a relay on a trusted network.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>How long one connect, command or send may take before the message is given up.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
            yield break;
        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out var from) || string.IsNullOrEmpty(from.Address) || !from.Address.Contains('@'))
            yield return new ValidationResult("Email:Smtp:From must be a mail address, such as 'Backside <no-reply@example.com>', when Email:Smtp:Host is set.");
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
            yield return new ValidationResult("Email:Smtp:Username and Email:Smtp:Password go together: set both or neither.");
    }
}
