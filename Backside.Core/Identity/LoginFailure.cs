namespace Backside.Core.Identity;

/// <summary>
/// Why a sign-in was refused. <see cref="Field"/> names the request field at fault when the credentials were right but
/// the request was not (a 400 rather than a 401).
/// </summary>
public sealed record LoginFailure(string Code, string Message, int? RetryAfterSeconds = null, string? Field = null);
