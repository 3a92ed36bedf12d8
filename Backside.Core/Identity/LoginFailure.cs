namespace Backside.Core.Identity;

public sealed record LoginFailure(string Code, string Message, int? RetryAfterSeconds = null);
