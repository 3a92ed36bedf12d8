using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Backside.Core.Common;

/// <summary>Escapes user text for SQL LIKE so that <c>%</c> and <c>_</c> in a search match themselves.</summary>
public static class LikePattern
{
    public const string EscapeCharacter = "\\";

    private static readonly MethodInfo Like = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly MethodInfo ILike = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    public static string Escape(string text) =>
        text.Replace(EscapeCharacter, EscapeCharacter + EscapeCharacter)
            .Replace("%", EscapeCharacter + "%")
            .Replace("_", EscapeCharacter + "_");

    /// <summary>
    /// Rows where any of <paramref name="columns"/> contains <paramref name="text"/>, ignoring ASCII case on every
    /// engine: SQLite's LIKE does, PostgreSQL's is case-sensitive, so there it is ILIKE (under the "C" collation the
    /// model gives text there, ASCII only as well).
    /// </summary>
    public static IQueryable<T> WhereAnyContains<T>(this IQueryable<T> query, DatabaseFacade database, string text, params Expression<Func<T, string?>>[] columns)
    {
        // A member of a captured object, as a lambda's closure would be, so EF sends the pattern as a parameter.
        var pattern = Expression.Property(Expression.Constant(new Captured($"%{Escape(text)}%")), nameof(Captured.Value));
        var function = database.IsNpgsql() ? ILike : Like;
        var row = Expression.Parameter(typeof(T), "row");
        var matches = columns
            .Select(c => (Expression)Expression.Call(function, Expression.Constant(EF.Functions), new ParameterReplacer(c.Parameters[0], row).Visit(c.Body), pattern, Expression.Constant(EscapeCharacter)))
            .Aggregate(Expression.OrElse);
        return query.Where(Expression.Lambda<Func<T, bool>>(matches, row));
    }

    private sealed record Captured(string Value);

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
