namespace Backside.Web.Redis;

/// <summary>
/// The receipts one announcement waits for: how many instances heard it (Redis's answer to PUBLISH, less the sender)
/// and how many have said they forgot its keys. Receipts may arrive before the count is known.
/// </summary>
public sealed class AnnouncementReceipts
{
    private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private long expected = -1;
    private long received;

    public Task All => all.Task;

    public void Expect(long count)
    {
        lock (gate)
        {
            expected = count;
            if (received >= expected)
                all.TrySetResult();
        }
    }

    public void Received()
    {
        lock (gate)
        {
            received++;
            if (expected >= 0 && received >= expected)
                all.TrySetResult();
        }
    }
}
