using System.Xml.Linq;
using Backside.Core.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Backside.Web.Secrets;

/// <summary>
/// Before the key ring moved into the database it lived in the framework's default folder
/// (<c>~/.aspnet/DataProtection-Keys</c>). The secrets it protected (the audit key, the signing key, two-factor
/// secrets) must still decrypt after the upgrade, so on a start with an empty ring in the database the keys found
/// in that folder are copied in, once. They are copied, not moved: the folder is left as it was.
/// </summary>
public static partial class FileKeyRingImport
{
    public static async Task<int> ImportFileKeyRingAsync(this IServiceProvider services, DirectoryInfo? folder = null)
    {
        folder ??= FileSystemXmlRepository.DefaultKeyStorageDirectory;
        if (folder is not { Exists: true })
            return 0;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        // Instances starting together must not both copy the folder in (a key twice in the ring stops Data
        // Protection): the check and the copy run in one transaction that holds the ring's table for writing. SQLite's
        // transaction takes the write lock at its start; PostgreSQL locks the table (readers go on).
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (db.Database.IsNpgsql())
            await LockRingAsync(db);
        if (await db.DataProtectionKeys.AnyAsync())
            return 0;

        var loggers = scope.ServiceProvider.GetRequiredService<ILoggerFactory>();
        var keys = new FileSystemXmlRepository(folder, loggers).GetAllElements();
        foreach (var key in keys)
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = (string?)key.Attribute("id") is { } id ? $"key-{id}" : null, Xml = key.ToString(SaveOptions.DisableFormatting) });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        if (keys.Count > 0)
            Log.Imported(loggers.CreateLogger(typeof(FileKeyRingImport)), keys.Count, folder.FullName);
        return keys.Count;
    }

    private static Task<int> LockRingAsync(BacksideDbContext db)
    {
        var ring = db.Model.FindEntityType(typeof(DataProtectionKey))!;
        var table = db.GetService<ISqlGenerationHelper>().DelimitIdentifier(ring.GetTableName()!, ring.GetSchema());
#pragma warning disable EF1002 // The table name comes from the model.
        return db.Database.ExecuteSqlRawAsync($"LOCK TABLE {table} IN EXCLUSIVE MODE");
#pragma warning restore EF1002
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Copied {Count} Data Protection keys from {Folder} into the database's key ring.")]
        public static partial void Imported(ILogger logger, int count, string folder);
    }
}
