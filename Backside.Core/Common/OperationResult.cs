using System.Diagnostics.CodeAnalysis;

namespace Backside.Core.Common;

public enum ErrorKind
{
    Validation,
    NotFound,
    Forbidden,
    Conflict,

    /// <summary>The caller's credential stopped working while the operation ran (the key was revoked a moment ago).</summary>
    Unauthenticated,
}

/// <summary>Why a Core operation did not happen. <see cref="Code"/> is the stable machine code clients branch on.</summary>
public sealed record OperationError(
    ErrorKind Kind,
    string Code,
    string Message,
    IReadOnlyDictionary<string, string[]>? FieldErrors = null,
    string? RequiredScope = null,
    string? Dimension = null,
    string? RequiredRight = null)
{
    public static OperationError NotFound(string what) =>
        new(ErrorKind.NotFound, "resource_not_found", $"No such {what}.");

    public static OperationError Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(ErrorKind.Validation, "validation_failed", "The request has invalid fields.", errors);

    public static OperationError Forbidden(string code, string message) =>
        new(ErrorKind.Forbidden, code, message);

    public static OperationError Unauthenticated(string code, string message) =>
        new(ErrorKind.Unauthenticated, code, message);

    public static OperationError Conflict(string code, string message) =>
        new(ErrorKind.Conflict, code, message);

    /// <summary>A key tried to create or change a key beyond its own power; <paramref name="dimension"/> names where.</summary>
    public static OperationError PrivilegeEscalation(string dimension, string message) =>
        new(ErrorKind.Forbidden, "privilege_escalation", message, Dimension: dimension);

    public static OperationError InsufficientScope(string scope) =>
        new(ErrorKind.Forbidden, "insufficient_scope", $"This action requires the {scope} scope.", RequiredScope: scope);

    /// <summary>
    /// The organization requires two-factor sign-in to manage keys, and the person has not turned it on. People only:
    /// keys acting through the API are never refused this.
    /// </summary>
    public static OperationError TwoFactorRequired() =>
        new(ErrorKind.Forbidden, "two_factor_required",
            "This organization requires two-factor authentication to manage API keys. Turn it on under Account > Two-factor authentication, then try again.");

    /// <summary>A person's role lacks <paramref name="right"/> (its wire name, such as <c>manage_live_keys</c>).</summary>
    public static OperationError MissingRight(string right, string message) =>
        new(ErrorKind.Forbidden, "insufficient_role", message, RequiredRight: right);
}

/// <summary>Either a value or an <see cref="OperationError"/>; the dashboard and the API both translate it.</summary>
public readonly record struct OperationResult<T>
{
    private OperationResult(T? value, OperationError? error) => (Value, Error) = (value, error);

    public T? Value { get; }
    public OperationError? Error { get; }
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static implicit operator OperationResult<T>(T value) => new(value, null);
    public static implicit operator OperationResult<T>(OperationError error) => new(default, error);
}
