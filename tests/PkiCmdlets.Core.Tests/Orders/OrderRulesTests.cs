using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Tests.Support;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Orders;

/// <summary>
/// Every bad input to an order fails with its own ErrorId naming the bad value, before any request to a
/// certificate authority and without changing the store. None of these tests needs a network.
/// </summary>
public sealed class OrderRulesTests : IDisposable
{
    // Nothing listens here: a test that reached the network would fail with AcmeServerUnreachable.
    private const string NoServer = "https://127.0.0.1:9/dir";

    private readonly TempStore _temp = new();
    private readonly string _ecc = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com", "example.com");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_sm2_csr_is_refused()
    {
        var e = Refused(r => r.Csr = Hierarchy.Csr(KeySpec.Sm2(), "www.example.com"), ErrorIds.KeyAlgorithmNotAllowed);
        Assert.Contains("SM2_256", e.Message);
        Assert.Equal("SM2_256", e.Target);
    }

    [Fact]
    public void An_rsa_1024_csr_is_refused()
    {
        using var rsa = RSA.Create(1024);
        var csr = new CertificateRequest("CN=www.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();

        var e = Refused(r => r.Csr = csr, ErrorIds.KeyAlgorithmNotAllowed);

        Assert.Contains("RSA_1024", e.Message);
    }

    [Fact]
    public void An_rsa_2048_or_p384_csr_passes_the_key_rule()
    {
        // They get as far as the (unreachable) server.
        Refused(r => r.Csr = Hierarchy.Csr(KeySpec.Rsa(2048), "www.example.com"), ErrorIds.AcmeServerUnreachable);
        Refused(r => r.Csr = Hierarchy.Csr(KeySpec.Ecc(384), "www.example.com"), ErrorIds.AcmeServerUnreachable);
    }

    [Fact]
    public void A_csr_whose_signature_does_not_verify_is_refused()
    {
        var der = Core.Formats.Pem.Decode(_ecc, Core.Formats.Pem.CertificateRequestLabel);
        der[^1] ^= 0x01;
        Refused(r => r.Csr = Core.Formats.Pem.Encode(Core.Formats.Pem.CertificateRequestLabel, der), ErrorIds.CsrSignatureInvalid);
    }

    [Fact]
    public void A_missing_unreadable_or_nameless_csr_is_refused()
    {
        Refused(r => r.Csr = null, ErrorIds.CsrMissing);
        Refused(r => r.Csr = "not a request", ErrorIds.InvalidPem);
        Refused(r => r.Csr = Convert.ToBase64String(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }), ErrorIds.CsrUnreadable);
        var missing = Path.Combine(_temp.Folder, "missing.csr");
        Assert.Equal(missing, Refused(r => { r.Csr = null; r.CsrPath = missing; }, ErrorIds.CsrUnreadable).Target);
        var e = Refused(r => r.Csr = Hierarchy.Csr(KeySpec.Ecc(256), "Example Org"), ErrorIds.NoServerName);
        Assert.Contains("Example Org", e.Message);
    }

    [Fact]
    public void A_csr_file_pem_or_der_is_read()
    {
        var pem = Path.Combine(Directory.CreateDirectory(_temp.Folder).FullName, "www.csr");
        File.WriteAllText(pem, _ecc);
        var der = Path.Combine(_temp.Folder, "www.der");
        File.WriteAllBytes(der, Core.Formats.Pem.Decode(_ecc, Core.Formats.Pem.CertificateRequestLabel));

        Refused(r => { r.Csr = null; r.CsrPath = pem; }, ErrorIds.AcmeServerUnreachable);
        Refused(r => { r.Csr = null; r.CsrPath = der; }, ErrorIds.AcmeServerUnreachable);
    }

    [Theory]
    [InlineData("ftp://acme.example.com/dir")]
    [InlineData("LetsEncryptProduction")]
    [InlineData("http://acme.example.com/directory")]
    public void A_server_that_is_neither_a_short_name_nor_an_https_url_is_refused(string server)
    {
        var e = Refused(r => r.Server = server, ErrorIds.AcmeServerInvalid);
        Assert.Contains(server, e.Message);
    }

    [Theory]
    [InlineData("Email")]
    [InlineData("tls-alpn-01")]
    public void An_unknown_validation_method_is_refused(string method)
    {
        var e = Refused(r => r.ValidationMethod = method, ErrorIds.ValidationMethodInvalid);
        Assert.Contains(method, e.Message);
    }

    [Theory]
    [InlineData("Dns", ValidationMethod.Dns)]
    [InlineData("DNS", ValidationMethod.Dns)]
    [InlineData("dns-01", ValidationMethod.Dns)]
    [InlineData("Http", ValidationMethod.Http)]
    [InlineData("FILE", ValidationMethod.Http)]
    [InlineData("file", ValidationMethod.Http)]
    [InlineData("http-01", ValidationMethod.Http)]
    public void DNS_and_FILE_are_accepted_as_validation_methods(string text, ValidationMethod expected)
    {
        Assert.Equal(expected, ValidationMethods.Parse(text));
        Assert.All(ValidationMethods.Names, n => Assert.NotNull(ValidationMethods.Parse(n)));
        Assert.Null(ValidationMethods.Parse(" "));
    }

    [Fact]
    public void A_wildcard_needs_dns_and_an_ip_address_needs_http()
    {
        var wildcard = Refused(r => { r.Csr = Hierarchy.Csr(KeySpec.Ecc(256), "*.example.com"); r.ValidationMethod = "Http"; }, ErrorIds.ValidationMethodNotAllowed);
        Assert.Contains("*.example.com", wildcard.Message);
        var ip = Refused(r => r.Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com", "192.0.2.7"), ErrorIds.ValidationMethodNotAllowed);
        Assert.Contains("192.0.2.7", ip.Message);
    }

    [Fact]
    public void A_web_root_is_for_http_and_must_exist()
    {
        Directory.CreateDirectory(_temp.Folder);
        var e = Refused(r => { r.WebRoot = _temp.Folder; r.ValidationMethod = "DNS"; }, ErrorIds.WebRootRequiresHttp);
        Assert.Contains(_temp.Folder, e.Message);
        var missing = Path.Combine(_temp.Folder, "no-such-folder");
        Assert.Contains(missing, Refused(r => r.WebRoot = missing, ErrorIds.PathNotFound).Message);
        // A web root alone means Http.
        Refused(r => r.WebRoot = _temp.Folder, ErrorIds.AcmeServerUnreachable);
    }

    [Fact]
    public void A_new_account_needs_a_valid_email()
    {
        Assert.Contains("ops@", Refused(r => r.Email = "ops@", ErrorIds.InvalidEmailAddress).Message);
        Assert.Contains(NoServer, Refused(r => r.Email = null, ErrorIds.ContactEmailRequired).Message);
        Refused(r => r.Email = "mailto:ops@example.com", ErrorIds.AcmeServerUnreachable);
    }

    [Fact]
    public void External_account_binding_needs_both_halves_and_a_base64url_key()
    {
        Assert.Contains("-EabKeyId", Refused(r => r.EabKeyId = "kid-1", ErrorIds.ExternalAccountBindingIncomplete).Message);
        Assert.Contains("-EabHmacKey", Refused(r => r.EabHmacKey = Services.Password("c2VjcmV0"), ErrorIds.ExternalAccountBindingIncomplete).Message);
        var e = Refused(r => { r.EabKeyId = "kid-1"; r.EabHmacKey = Services.Password("not base64url!"); }, ErrorIds.AcmeExternalAccountKeyInvalid);
        Assert.Contains("kid-1", e.Message);
        Assert.DoesNotContain("not base64url!", e.Message);
    }

    [Fact]
    public void Unknown_orders_are_not_found_by_get_complete_or_remove()
    {
        var orders = new CertificateOrderService(_temp.Open());

        var listing = orders.Find(new[] { 42 });
        Assert.Empty(listing.Items);
        var e = Assert.Single(listing.Problems);
        Assert.Equal(ErrorIds.OrderNotFound, e.ErrorId);
        Assert.Equal(PkiErrorKind.ObjectNotFound, e.Kind);
        Assert.Contains("42", e.Message);
        Assert.Equal(ErrorIds.OrderNotFound, Assert.Throws<PkiException>(() => orders.Get(42)).ErrorId);
        Assert.Equal(ErrorIds.OrderNotFound, Assert.Throws<PkiException>(() => orders.Complete(new CompleteCertificateOrderRequest { OrderId = 42 })).ErrorId);
        Assert.Equal(ErrorIds.OrderNotFound, Assert.Throws<PkiException>(() => orders.Remove(42)).ErrorId);
        Assert.Equal(ErrorIds.OrderNotFound, Assert.Throws<PkiException>(() => orders.Remove(0)).ErrorId);
        Assert.Empty(orders.Find().Items);
        Assert.False(Directory.Exists(_temp.Root));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86401)]
    public void A_time_out_out_of_range_is_refused(int seconds)
    {
        var e = Assert.Throws<PkiException>(() => new CertificateOrderService(_temp.Open()).Complete(new CompleteCertificateOrderRequest { OrderId = 1, Wait = true, TimeoutSeconds = seconds }));
        Assert.Equal(ErrorIds.InvalidTimeout, e.ErrorId);
        Assert.Contains(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void Declining_confirmation_submits_nothing()
    {
        string? asked = null;
        var order = new CertificateOrderService(_temp.Open()).Submit(Request(), target => { asked = target; return false; });

        Assert.Null(order);
        Assert.Equal("www.example.com, example.com at " + NoServer, asked);
        Assert.False(Directory.Exists(_temp.Root));
    }

    [Fact]
    public void A_removal_the_file_system_refuses_is_OrderRemoveFailed_and_removes_nothing()
    {
        var store = _temp.Open();
        store.EnsureCreated(StoreLayout.OrderFolder);
        store.WriteJson(StoreLayout.OrderRecord(1), new OrderRecord
        {
            Id = 1, Server = NoServer, OrderUrl = "https://127.0.0.1:9/order/1", Status = "pending", Domains = { "www.example.com" }, ChallengeType = "dns-01",
        });
        var record = Path.Combine(_temp.Root, StoreLayout.OrderRecord(1));
        var before = _temp.Snapshot();

        PkiException e;
        using (Undeletable(record))
        {
            e = Assert.Throws<PkiException>(() => new CertificateOrderService(_temp.Open()).Remove(1));
        }

        Assert.Equal(ErrorIds.OrderRemoveFailed, e.ErrorId);
        Assert.Equal(1, e.Target);
        Assert.Contains("Order 1", e.Message);
        Assert.Equal(before, _temp.Snapshot());
        Assert.Equal(1, new CertificateOrderService(_temp.Open()).Remove(1)!.OrderId);
        Assert.False(File.Exists(record));
    }

    /// <summary>
    /// Makes a file impossible to delete: the immutable attribute (which holds even for root), else a read-only
    /// folder (which holds for everyone else).
    /// </summary>
    private static IDisposable Undeletable(string path)
    {
        if (Run("chattr", $"+i \"{path}\""))
        {
            return new Cleanup(() => Run("chattr", $"-i \"{path}\""));
        }
        var folder = Path.GetDirectoryName(path)!;
        var mode = File.GetUnixFileMode(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.True(Environment.UserName != "root", "cannot make a file undeletable here: chattr failed and root ignores folder permissions");
        return new Cleanup(() => File.SetUnixFileMode(folder, mode));
    }

    private static bool Run(string command, string arguments)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private sealed class Cleanup : IDisposable
    {
        private readonly Action _action;

        public Cleanup(Action action)
        {
            _action = action;
        }

        public void Dispose() => _action();
    }

    /// <summary>A valid request (ECC CSR, email, terms accepted) to a server that is not there, changed by <paramref name="change"/>.</summary>
    private SubmitCertificateOrderRequest Request(Action<SubmitCertificateOrderRequest>? change = null)
    {
        var request = new SubmitCertificateOrderRequest { Csr = _ecc, Email = "ops@example.com", Server = NoServer, AcceptTermsOfService = true };
        change?.Invoke(request);
        return request;
    }

    private PkiException Refused(Action<SubmitCertificateOrderRequest> change, string errorId)
    {
        var before = _temp.Snapshot();
        var orders = new CertificateOrderService(_temp.Open(), o => { o.NetworkAttempts = 1; o.RequestTimeout = TimeSpan.FromSeconds(5); });
        var e = Assert.Throws<PkiException>(() => orders.Submit(Request(change)));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(before, _temp.Snapshot());
        return e;
    }
}
