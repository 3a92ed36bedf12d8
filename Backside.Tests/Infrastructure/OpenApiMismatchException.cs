namespace Backside.Tests.Infrastructure;

/// <summary>An API response that breaks the OpenAPI document; thrown from the client, so the test that sent it fails.</summary>
public sealed class OpenApiMismatchException(string message) : Exception(message);
