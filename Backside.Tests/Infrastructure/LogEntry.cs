using Microsoft.Extensions.Logging;

namespace Backside.Tests.Infrastructure;

public sealed record LogEntry(string Category, LogLevel Level, string Message, string? Exception);
