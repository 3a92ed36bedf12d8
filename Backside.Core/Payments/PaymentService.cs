using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Payments;

/// <summary>Wallet tenants and the record of settled x402 payments.</summary>
public sealed class PaymentService(BacksideDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>
    /// The wallet's organization, created (kind <c>wallet</c>, named after the address) when this is its first
    /// payment. Two first payments at once from one wallet end in one organization: the address is unique.
    /// </summary>
    public async Task<WalletOrganization> EnsureWalletOrganizationAsync(string payer, CancellationToken ct)
    {
        if (await FindWalletOrganizationAsync(payer, ct) is { } existing)
            return new WalletOrganization(existing, Created: false);

        var organization = new Organization
        {
            Id = EntityId.New(EntityId.OrganizationPrefix, time),
            Name = payer,
            Kind = OrganizationKind.Wallet,
            WalletAddress = payer,
            CreatedAt = time.GetUtcNow(),
        };
        db.Organizations.Add(organization);
        audit.StartChain(organization.Id);
        try
        {
            await db.SaveChangesAsync(ct);
            return new WalletOrganization(organization.Id, Created: true);
        }
        catch (DbUpdateException ex) when (UniqueViolation.On<Organization>(db, ex))
        {
            // The other first payment made it (the wallet address is unique); its own statement failed, nothing else.
            db.ChangeTracker.Clear();
            var raced = await FindWalletOrganizationAsync(payer, ct) ?? throw new InvalidOperationException("The wallet organization could not be created.");
            return new WalletOrganization(raced, Created: false);
        }
    }

    /// <summary>
    /// Undoes an organization made for <paramref name="payment"/>, which then failed, with whatever the unpaid
    /// request wrote into it: only a settled payment may provision a tenant. One statement, and only while no payment
    /// landed in it and no other authorization of the same wallet is in flight: a concurrent first payment from the
    /// wallet may already be acting in this organization, and its money must not end up without a tenant.
    /// </summary>
    public Task ForgetUnpaidOrganizationAsync(string organizationId, VerifiedPayment payment, CancellationToken ct)
    {
        var payer = $":{payment.Authorization.From.ToLowerInvariant()}:";
        var ownReservation = payment.ReplayKey;
        return db.Organizations
            .Where(o => o.Id == organizationId && o.Kind == OrganizationKind.Wallet
                && !db.Payments.Any(p => p.OrganizationId == o.Id)
                && !db.PaymentNonces.Any(n => n.Key.Contains(payer) && n.Key != ownReservation))
            .ExecuteDeleteAsync(ct);
    }

    public async Task RecordAsync(Payment payment, CancellationToken ct)
    {
        db.Payments.Add(payment);
        await db.SaveChangesAsync(ct);
    }

    public async Task<PaymentTotals> TotalsAsync(CancellationToken ct)
    {
        var count = await db.Payments.LongCountAsync(ct);
        var amount = await db.Payments.SumAsync(p => (long?)p.Amount, ct) ?? 0;
        var wallets = await db.Payments.Select(p => p.Payer).Distinct().LongCountAsync(ct);
        return new PaymentTotals(count, amount, wallets);
    }

    /// <summary>Newest first; <paramref name="search"/> matches the payer, route or transaction hash.</summary>
    public async Task<PaymentPage> PageAsync(int skip, int take, string? search, CancellationToken ct)
    {
        var query = db.Payments.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            query = query.WhereAnyContains(db.Database, search.Trim(), p => p.Payer, p => p.Route, p => p.TransactionHash);
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(p => p.Id).Skip(skip).Take(Math.Clamp(take, 1, 100)).ToListAsync(ct);
        return new PaymentPage(items, total);
    }

    private Task<string?> FindWalletOrganizationAsync(string payer, CancellationToken ct) =>
        db.Organizations.Where(o => o.WalletAddress == payer).Select(o => o.Id).FirstOrDefaultAsync(ct);
}
