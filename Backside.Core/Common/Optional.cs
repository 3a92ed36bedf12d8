namespace Backside.Core.Common;

/// <summary>
/// A PATCH field: either absent (leave the stored value alone) or present with a value, which may be null (clear it).
/// </summary>
public readonly record struct Optional<T>(bool HasValue, T Value)
{
    public static Optional<T> Absent => default;

    public static implicit operator Optional<T>(T value) => new(true, value);

    public T Or(T current) => HasValue ? Value : current;
}
