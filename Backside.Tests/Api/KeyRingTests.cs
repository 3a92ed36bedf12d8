using Backside.Core.Data;
using Backside.Tests.Infrastructure;
using Backside.Web.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backside.Tests.Api;

/// <summary>The Data Protection key ring lives in the database: every instance on it, and every restart, reads the same keys.</summary>
[Trait("Providers", "Both")]
public class KeyRingTests
{
    [Fact]
    public async Task What_one_instance_protects_another_on_the_same_database_reads_and_the_keys_are_in_the_database()
    {
        await using var first = new BacksideAppFactory();
        var secret = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");
        await using var second = BacksideAppFactory.OnDatabase(first.Database);

        Assert.Equal("hello", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
        await using var db = first.OpenDatabase();
        var stored = await db.DataProtectionKeys.ToListAsync();
        Assert.NotEmpty(stored);
        Assert.All(stored, key => Assert.Contains("<key ", key.Xml));
    }

    [Fact]
    public async Task Keys_of_the_old_file_key_ring_are_copied_into_an_empty_database_ring_once()
    {
        // A key ring as the framework kept it before, in a folder of its own.
        var folder = Directory.CreateTempSubdirectory("backside-keyring-");
        var legacy = DataProtectionProvider.Create(folder, options => options.SetApplicationName("Backside"));
        var old = legacy.CreateProtector("test").Protect("from before");
        await using var app = new BacksideAppFactory();
        _ = app.Services; // starts the app: the database is migrated and its ring gets a key of its own
        await using (var db = app.OpenDatabase())
            await db.DataProtectionKeys.ExecuteDeleteAsync();

        var copied = await app.Services.ImportFileKeyRingAsync(folder);
        var again = await app.Services.ImportFileKeyRingAsync(folder);

        Assert.Equal(folder.GetFiles("key-*.xml").Length, copied);
        Assert.Equal(0, again);
        await using var check = app.OpenDatabase();
        var xml = (await check.DataProtectionKeys.ToListAsync()).Select(k => k.Xml!).ToList();
        // A ring made only of the copied keys reads what the old ring protected.
        var ring = new ServiceCollection().AddLogging().AddDataProtection().SetApplicationName("Backside").Services
            .AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<KeyManagementOptions>>(new ListRing(xml)).BuildServiceProvider();
        Assert.Equal("from before", ring.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(old));
    }

    private sealed class ListRing(List<string> xml) : Microsoft.Extensions.Options.IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options) => options.XmlRepository = new Repository(xml);

        private sealed class Repository(List<string> xml) : Microsoft.AspNetCore.DataProtection.Repositories.IXmlRepository
        {
            public IReadOnlyCollection<System.Xml.Linq.XElement> GetAllElements() => [.. xml.Select(System.Xml.Linq.XElement.Parse)];

            public void StoreElement(System.Xml.Linq.XElement element, string friendlyName) => xml.Add(element.ToString());
        }
    }
}
