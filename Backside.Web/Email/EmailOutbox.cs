using System.Threading.Channels;

namespace Backside.Web.Email;

/// <summary>
/// The queue between the requests that want mail sent and <see cref="EmailDeliveryService"/>, which sends it. Bounded:
/// when the mail server cannot keep up, new mail is dropped with a warning rather than growing memory without end.
/// </summary>
public sealed partial class EmailOutbox(ILogger<EmailOutbox> logger)
{
    public const int Capacity = 1000;

    private readonly Channel<PendingEmail> channel = Channel.CreateBounded<PendingEmail>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<PendingEmail> Reader => channel.Reader;

    /// <summary>Returns at once and never throws.</summary>
    public void Enqueue(PendingEmail email)
    {
        if (!channel.Writer.TryWrite(email))
            Log.Dropped(logger, email.Description, Capacity);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Email not queued ({Description}): {Capacity} messages are already waiting for the mail server.")]
        public static partial void Dropped(ILogger logger, string description, int capacity);
    }
}
