using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Common;

public static class CursorPaging
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    /// <summary>Validates <c>limit</c> and <c>starting_after</c> as the API receives them.</summary>
    public static void Validate(ValidationErrors errors, int? limit, string? startingAfter, string idPrefix)
    {
        if (limit is < 1 or > MaxLimit)
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        if (startingAfter is not null && !EntityId.HasShape(startingAfter, idPrefix))
            errors.Add("starting_after", $"starting_after must be an id starting with {idPrefix}_.");
    }

    /// <summary>Newest first; the page after <paramref name="startingAfter"/>, reading one extra row to learn <c>has_more</c>.</summary>
    public static async Task<CursorPage<T>> ToCursorPageAsync<T>(
        this IQueryable<T> query, int? limit, string? startingAfter, CancellationToken ct)
        where T : class, IHasEntityId
    {
        var take = limit ?? DefaultLimit;
        if (startingAfter is not null)
#pragma warning disable CA1309 // EF Core turns string.Compare into SQL's own comparison (ids are ASCII); CompareOrdinal has no translation.
            query = query.Where(e => string.Compare(e.Id, startingAfter) < 0);
#pragma warning restore CA1309
        var rows = await query.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(ct);
        return new CursorPage<T>(rows.Take(take).ToList(), rows.Count > take);
    }
}
