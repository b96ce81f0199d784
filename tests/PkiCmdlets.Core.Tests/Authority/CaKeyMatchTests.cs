using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// A CA's key is checked against its certificate before it signs anything (a certificate, a sub CA, a CRL, a renewed
/// certificate), before Set-CAKeyPassword encrypts it anew, and when Unlock-CA keeps it: with the key file or the certificate file swapped, CaKeyMismatch names the key file, nothing is
/// signed and the store is unchanged. Otherwise the store would record certificates and CRLs no one can verify.
/// </summary>
public sealed class CaKeyMatchTests : IDisposable
{
    private static readonly string Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com");
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private string Full(string relative) => Path.Combine(_pki.Store.Root, relative);

    /// <summary>Puts the Root's file of <paramref name="file"/> in place of the Sub's: the same family, another key.</summary>
    private void SwapSubWithRoot(Func<string, string> file) => File.Copy(Full(file(_pki.Root.Id)), Full(file(_pki.Sub.Id)), overwrite: true);

    private void AssertMismatch(Action action, string keyOf)
    {
        var before = _pki.Store.Snapshot();
        var error = Assert.Throws<PkiException>(action);
        Assert.Equal(ErrorIds.CaKeyMismatch, error.ErrorId);
        Assert.Equal(Full(StoreLayout.CaKey(keyOf)), error.Target);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Theory]
    [InlineData("key")]
    [InlineData("certificate")]
    public void A_swapped_key_or_certificate_signs_no_certificate_and_no_CRL(string swapped)
    {
        _pki.Issue(Csr);
        SwapSubWithRoot(swapped == "key" ? StoreLayout.CaKey : StoreLayout.CaCertificate);

        AssertMismatch(() => _pki.Issue(Csr), _pki.Sub.Id);
        AssertMismatch(() => new CrlService(_pki.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") }), _pki.Sub.Id);
    }

    [Fact]
    public void A_swapped_root_key_signs_no_sub_CA()
    {
        File.Copy(Full(StoreLayout.CaKey(_pki.Sub.Id)), Full(StoreLayout.CaKey(_pki.Root.Id)), overwrite: true);

        AssertMismatch(() => Services.Cas(_pki.Open()).CreateSubordinate(new NewCaRequest
        {
            Name = "Other", CommonName = "Other Sub", Algorithm = "ECC_256", NoPassword = true, Issuer = new CaIdentity("Root"),
        }), _pki.Root.Id);
    }

    [Fact]
    public void A_swapped_key_gets_no_new_password()
    {
        SwapSubWithRoot(StoreLayout.CaKey);

        AssertMismatch(() => Services.Cas(_pki.Open()).ChangeKeyPassword(new CaIdentity("Sub"), null, Services.Password("new-password")), _pki.Sub.Id);
    }

    [Fact]
    public void A_swapped_root_key_renews_neither_itself_nor_its_sub_CA()
    {
        File.Copy(Full(StoreLayout.CaKey(_pki.Sub.Id)), Full(StoreLayout.CaKey(_pki.Root.Id)), overwrite: true);
        var cas = Services.Cas(_pki.Open());

        AssertMismatch(() => cas.Renew(new RenewCaRequest { Authority = new CaIdentity("Root") }), _pki.Root.Id);
        AssertMismatch(() => cas.Renew(new RenewCaRequest { Authority = new CaIdentity("Sub") }), _pki.Root.Id);
    }

    /// <summary>Update-CA of an intermediate checks its own key too: a renewed certificate for a key the store does not hold signs nothing.</summary>
    [Fact]
    public void A_swapped_sub_CA_key_gets_no_renewed_certificate()
    {
        SwapSubWithRoot(StoreLayout.CaKey);

        AssertMismatch(() => Services.Cas(_pki.Open()).Renew(new RenewCaRequest { Authority = new CaIdentity("Sub") }), _pki.Sub.Id);
    }

    [Fact]
    public void Unlock_CA_refuses_a_key_that_is_not_the_certificate_s_and_keeps_nothing_unlocked()
    {
        using var temp = new TempStore();
        var password = Services.Password("Pa55word");
        var cas = Services.Cas(temp.Open());
        var root = cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Root", Algorithm = "ECC_256", KeyPassword = password });
        var other = cas.CreateRoot(new NewCaRequest { Name = "Other", CommonName = "Other", Algorithm = "ECC_256", KeyPassword = password });
        File.Copy(Path.Combine(temp.Root, StoreLayout.CaKey(other.Id)), Path.Combine(temp.Root, StoreLayout.CaKey(root.Id)), overwrite: true);

        var error = Assert.Throws<PkiException>(() => cas.Unlock(new CaIdentity("Root"), password));

        Assert.Equal(ErrorIds.CaKeyMismatch, error.ErrorId);
        Assert.False(cas.Find(new[] { "Root" }).Items.Single().Unlocked);
    }

    [Fact]
    public void The_message_says_which_files_do_not_belong_together_and_what_to_do()
    {
        SwapSubWithRoot(StoreLayout.CaKey);

        var error = Assert.Throws<PkiException>(() => _pki.Issue(Csr));

        Assert.Contains("'Sub'", error.Message);
        Assert.Contains(Full(StoreLayout.CaKey(_pki.Sub.Id)), error.Message);
        Assert.Contains(Full(StoreLayout.CaCertificate(_pki.Sub.Id)), error.Message);
    }
}
