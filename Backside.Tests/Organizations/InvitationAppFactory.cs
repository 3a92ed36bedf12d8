using System.Collections.Concurrent;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Organizations;

/// <summary>The app with the invitation mail it would send kept in <see cref="Mail"/>, so API tests can follow the link.</summary>
public sealed class InvitationAppFactory : BacksideAppFactory
{
    public RecordingInvitationMailer Mail { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInvitationMailer>(Mail));
    }

    public sealed class RecordingInvitationMailer : IInvitationMailer
    {
        private readonly ConcurrentQueue<InvitationMail> sent = new();

        public void Send(InvitationMail mail) => sent.Enqueue(mail);

        public IReadOnlyList<InvitationMail> To(string email) =>
            [.. sent.Where(m => string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase))];

        public string LastTokenTo(string email) => To(email)[^1].Token;
    }
}
