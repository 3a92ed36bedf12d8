namespace Backside.Web.Authentication;

/// <summary>Carries an <see cref="ApiKeyFailure"/> through <c>AuthenticateResult.Fail</c> to the challenge.</summary>
public sealed class ApiKeyAuthenticationException(ApiKeyFailure failure) : Exception(failure.Detail)
{
    public ApiKeyFailure Failure { get; } = failure;
}
