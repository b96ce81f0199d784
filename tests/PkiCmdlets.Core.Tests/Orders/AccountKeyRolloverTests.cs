using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Acme;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Orders;

/// <summary>
/// The account key rollover against a real Pebble: the new key takes over the account, and a change stopped after the
/// CA took the new key (the process killed before the store replaced the key) is finished by the next change.
/// </summary>
[Collection(PebbleCollection.Name)]
public sealed class AccountKeyRolloverTests : IDisposable
{
    private readonly PebbleFixture _pebble;
    private readonly TempStore _temp = new();

    public AccountKeyRolloverTests(PebbleFixture pebble)
    {
        _pebble = pebble;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_new_key_takes_over_the_account_and_the_old_key_no_longer_finds_it()
    {
        var orders = Ordered(out var accountUrl);
        using var oldKey = AccountKey();

        var changed = orders.ChangeAccountKey(_pebble.DirectoryUrl.AbsoluteUri, true);

        using var newKey = AccountKey();
        Assert.Equal(accountUrl, changed.AccountUrl);
        Assert.Equal(Jwk.For(newKey).Thumbprint, changed.KeyThumbprint);
        Assert.NotEqual(Jwk.For(oldKey).Thumbprint, changed.KeyThumbprint);
        Assert.Equal(accountUrl, await FindAsync(newKey));
        Assert.Equal(ErrorIds.AcmeAccountNotFound, (await Assert.ThrowsAsync<PkiException>(() => FindAsync(oldKey))).ErrorId);
    }

    [Fact]
    public async Task A_change_the_ca_took_but_the_store_never_recorded_is_finished_by_the_next_change()
    {
        var orders = Ordered(out var accountUrl);
        var store = _temp.Open();
        var accounts = new AcmeAccountStore(store);
        // The CA takes a new key; then the process "dies": the key waits beside the old one, unrecorded.
        using (var account = accounts.Find(_pebble.DirectoryUrl)!)
        using (var taken = TestKeys.For(KeySpec.Ecc(256), "taken"))
        {
            accounts.KeepNewKey(account, taken, CancellationToken.None);
            using var client = _pebble.Client(account.Key!);
            client.AccountUrl = account.Url;
            await client.ChangeKeyAsync(taken);
        }

        var changed = orders.ChangeAccountKey(_pebble.DirectoryUrl.AbsoluteUri, true);

        using var current = AccountKey();
        Assert.Equal(accountUrl, changed.AccountUrl);
        Assert.Equal(accountUrl, await FindAsync(current));
        Assert.False(File.Exists(Path.Combine(_temp.Root, StoreLayout.AcmeAccountNewKey(AcmeAccountStore.Id(_pebble.DirectoryUrl)))));
        using var taken2 = TestKeys.For(KeySpec.Ecc(256), "taken");
        Assert.NotEqual(Jwk.For(taken2).Thumbprint, changed.KeyThumbprint); // taken over, then changed again
    }

    private CertificateOrderService Ordered(out string accountUrl)
    {
        var orders = new CertificateOrderService(_temp.Open(), o => o.PollInterval = TimeSpan.FromMilliseconds(50));
        var csr = new CsrService(_temp.Open()).Create(new NewCsrRequest { CommonName = PebbleFixture.UniqueDomain(), Algorithm = "ECC_256" });
        var order = orders.Submit(new SubmitCertificateOrderRequest
        {
            Csr = csr.Csr, Email = "ops@example.com", Server = _pebble.DirectoryUrl.AbsoluteUri, AcceptTermsOfService = true, SkipCertificateCheck = true,
        })!;
        accountUrl = order.AccountUrl;
        return orders;
    }

    private PrivateKey AccountKey()
    {
        var path = Path.Combine(_temp.Root, StoreLayout.AcmeAccountKey(AcmeAccountStore.Id(_pebble.DirectoryUrl)));
        return PrivateKey.FromPkcs8(Pkcs8Pem.Decode(File.ReadAllText(path), null, path), path);
    }

    /// <summary>The URL of the account this key speaks for at Pebble, or AcmeAccountNotFound.</summary>
    private async Task<string> FindAsync(PrivateKey key)
    {
        using var client = _pebble.Client(key);
        return (await client.FindAccountAsync()).Url.AbsoluteUri;
    }
}
