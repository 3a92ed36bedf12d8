using System.Net;
using System.Net.Http.Json;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

public class SecretStorageTests
{
    [Fact]
    public async Task Raw_keys_appear_nowhere_in_the_database_files_only_their_hashes()
    {
        await using var app = new BacksideAppFactory();
        var (client, admin, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysWrite, Scopes.ContactsWrite]);
        for (var i = 0; i < 5; i++)
        {
            var created = await (await client.PostAsJsonAsync("/api/v1/api-keys", new { name = $"Key {i}", scopes = new[] { "contacts:read" } }))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            var secret = created.GetProperty("key").GetString()!;
            app.IssuedSecrets.Add(secret);
            (await app.CreateClientWithKey(secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        }
        await app.StopGracefullyAsync(); // usage flushed
        await app.DisposeAsync();

        var bytes = DatabaseFiles(app.DatabasePath).SelectMany(File.ReadAllBytes).ToArray();

        Assert.Equal(6, app.IssuedSecrets.Count);
        Assert.All(app.IssuedSecrets, secret =>
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(secret[13..48])));
            Assert.NotEqual(-1, bytes.AsSpan().IndexOf(ApiKeyFormat.Hash(secret)));
        });
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(admin.Key.Hint)));
    }

    private static IEnumerable<string> DatabaseFiles(string path) =>
        new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists);
}
