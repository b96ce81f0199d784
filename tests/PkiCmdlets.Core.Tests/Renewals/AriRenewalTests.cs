using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Renewals;
using PkiCmdlets.Core.Tests.Acme;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Renewals;

/// <summary>
/// ACME certificates renewed when their certificate authority's renewal information (RFC 9773) says, against a fake CA
/// that offers it: a window in the past renews now with "replaces"; a window in the future waits for a time chosen in
/// it, shown with the explanation; Retry-After spaces the questions; 409 alreadyReplaced is ordered again without
/// "replaces"; a CA without renewal information falls back to two thirds of the lifetime.
/// </summary>
public sealed class AriRenewalTests : IDisposable
{
    private readonly FakeAcmeCa _ca = new();
    private readonly TempStore _temp = new();
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    private double _random = 0.25;

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    private RenewalService Renewals() => new(_temp.Open(), () => _now, Fast, spec => TestKeys.For(spec, "ari"), () => _random);

    private static void Fast(AcmeClientOptions options)
    {
        options.PollInterval = TimeSpan.FromMilliseconds(20);
        options.NetworkRetryDelay = TimeSpan.FromMilliseconds(20);
    }

    /// <summary>An ACME certificate in the store: an order placed and completed with the fake CA.</summary>
    private CertificateOrder Ordered(string? profile = null)
    {
        var csr = Services.Csrs(_temp.Open()).Create(new Core.Requests.NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC_256" });
        var orders = new CertificateOrderService(_temp.Open(), Fast);
        var order = orders.Submit(new SubmitCertificateOrderRequest { Csr = csr.Csr, Server = _ca.DirectoryUrl, Email = "ops@example.com", AcceptTermsOfService = true, Profile = profile })!;
        return orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true, TimeoutSeconds = 30 });
    }

    private List<RenewalResult> Run(List<string>? warnings = null) =>
        Renewals().Run(new RenewalRequest(), null, null, null, new OrderCallbacks { Warning = warnings == null ? null : warnings.Add }, new List<PkiException>()).ToList();

    private IssuedCertificate Certificate(string identifier) => Services.Certificates(_temp.Open()).Get(identifier);

    [Fact]
    public void A_window_in_the_past_renews_now_and_the_new_order_says_what_it_replaces()
    {
        var old = Ordered();
        _ca.Window = (_now.AddDays(-2), _now.AddDays(-1));
        _ca.ExplanationUrl = "https://ca.example/why";

        var result = Assert.Single(Run());

        Assert.Equal(nameof(RenewalStatus.Renewed), result.Status);
        Assert.Equal("https://ca.example/why", result.ExplanationUrl);
        var certificateId = AcmeRenewalInfo.CertificateId(Certificate(old.Identifier!).Certificate.RawData);
        Assert.Equal(certificateId, (string?)_ca.NewOrders.Last()!["replaces"]);
        Assert.Equal(old.Identifier, result.NewCertificate!.Replaces);
        Assert.Equal(result.NewCertificate.Identifier, Certificate(old.Identifier!).ReplacedBy);
        var orders = new CertificateOrderService(_temp.Open()).ListStored();
        Assert.Equal(result.NewOrderId, orders.Single(o => o.OrderId == old.OrderId).ReplacedByOrderId);
        Assert.Equal(old.OrderId, orders.Single(o => o.OrderId == result.NewOrderId).ReplacesOrderId);
    }

    [Fact]
    public void The_certificate_id_is_the_authority_key_identifier_and_the_serial_number_base64url()
    {
        var old = Ordered();
        var certificate = Certificate(old.Identifier!).Certificate;
        var aki = certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray();
        var serial = Convert.FromHexString(certificate.SerialNumber);

        var id = AcmeRenewalInfo.CertificateId(certificate.RawData);

        Assert.Equal(Base64Url.Encode(aki) + "." + Base64Url.Encode(serial), id);
    }

    [Fact]
    public void A_window_in_the_future_waits_for_a_time_chosen_in_it_and_shows_the_explanation()
    {
        var old = Ordered();
        var start = _now.AddDays(10);
        _ca.Window = (start, start.AddDays(2));
        _ca.ExplanationUrl = "https://ca.example/why";

        var result = Assert.Single(Run());

        Assert.Equal(nameof(RenewalStatus.NotDue), result.Status);
        Assert.Equal(start.AddHours(12), result.RenewAt); // a quarter of the way into the window
        Assert.Equal("https://ca.example/why", result.ExplanationUrl);
        Assert.Contains("window", result.Reason);
        Assert.Single(_ca.NewOrders); // the first order only
        var renewal = Assert.Single(Renewals().Find().Items);
        Assert.Equal(RenewalOutput.FromRenewalInfo, renewal.RenewAtFrom);
        Assert.Equal(start, renewal.WindowStart);
        Assert.Equal(start.AddHours(12), renewal.RenewAt);
        Assert.Equal(old.Identifier, renewal.Identifier);

        // When the chosen time comes, it renews.
        _now = start.AddHours(12);
        _ca.Window = (start, start.AddDays(2));
        Assert.Equal(nameof(RenewalStatus.Renewed), Assert.Single(Run()).Status);
    }

    [Fact]
    public void Retry_after_says_when_to_ask_again_and_the_chosen_time_stays_while_the_window_does()
    {
        Ordered();
        var start = _now.AddDays(10);
        _ca.Window = (start, start.AddDays(2));
        _ca.RetryAfterSeconds = 3600;

        var first = Assert.Single(Run());
        Assert.Equal(1, _ca.RenewalInfoRequests);

        _now = _now.AddMinutes(30);
        _random = 0.9;
        var asked = Assert.Single(Run());
        Assert.Equal(1, _ca.RenewalInfoRequests); // not asked again before Retry-After
        Assert.Equal(first.RenewAt, asked.RenewAt);

        _now = _now.AddMinutes(31);
        var again = Assert.Single(Run());
        Assert.Equal(2, _ca.RenewalInfoRequests);
        Assert.Equal(first.RenewAt, again.RenewAt); // the same window: the same time

        // The window moves into the past (a revocation, say): renewed at once, next time it is asked.
        _ca.Window = (_now.AddDays(-1), _now.AddHours(-1));
        _now = _now.AddHours(2);
        Assert.Equal(nameof(RenewalStatus.Renewed), Assert.Single(Run()).Status);
        Assert.Equal(3, _ca.RenewalInfoRequests);
    }

    [Theory]
    [InlineData(5, 60)]
    [InlineData(3 * 86400, 86400)]
    public void Retry_after_counts_as_at_least_a_minute_and_at_most_a_day(int retryAfter, int seconds)
    {
        Ordered();
        _ca.Window = (_now.AddDays(10), _now.AddDays(12));
        _ca.RetryAfterSeconds = retryAfter;
        Run();

        Assert.Equal(_now.AddSeconds(seconds), Assert.Single(Renewals().Find().Items).NextCheck);
    }

    [Fact]
    public void A_renewal_orders_the_same_profile_and_a_new_key_when_set_up_for_one()
    {
        var old = Ordered("shortlived");
        Assert.Equal("shortlived", (string?)_ca.NewOrders.Last()!["profile"]);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier!, NewKey = true });
        _ca.Window = (_now.AddDays(-2), _now.AddDays(-1));

        var result = Assert.Single(Run());

        Assert.Equal(nameof(RenewalStatus.Renewed), result.Status);
        Assert.Equal("shortlived", (string?)_ca.NewOrders.Last()!["profile"]);
        var renewal = new CertificateOrderService(_temp.Open()).ListStored().Single(o => o.OrderId == result.NewOrderId);
        Assert.Equal("shortlived", renewal.Profile);
        Assert.NotEqual(old.CsrId, renewal.CsrId);
        var before = Certificate(old.Identifier!);
        var after = result.NewCertificate!;
        Assert.Equal(before.Names, after.Names);
        Assert.NotEqual(before.Certificate.PublicKey.EncodedKeyValue.RawData, after.Certificate.PublicKey.EncodedKeyValue.RawData);
        Assert.Equal(renewal.CsrId, after.CsrId);
    }

    [Fact]
    public void A_refused_replaces_is_ordered_again_without_it()
    {
        var old = Ordered();
        _ca.Window = (_now.AddDays(-2), _now.AddDays(-1));
        _ca.RefuseReplacesOnce = true;

        var result = Assert.Single(Run());

        Assert.Equal(nameof(RenewalStatus.Renewed), result.Status);
        var renewalOrders = _ca.NewOrders.Skip(1).ToList();
        Assert.Equal(2, renewalOrders.Count);
        Assert.NotNull(renewalOrders[0]!["replaces"]);
        Assert.Null(renewalOrders[1]!["replaces"]);
        Assert.Equal(old.Identifier, result.NewCertificate!.Replaces);
    }

    [Fact]
    public void A_ca_without_renewal_information_renews_at_two_thirds_of_the_lifetime()
    {
        _ca.OffersRenewalInfo = false;
        var old = Ordered();
        var certificate = Certificate(old.Identifier!);
        var twoThirds = RenewalTiming.ByLifetime(certificate.NotBefore, certificate.NotAfter, null);
        Assert.Equal(certificate.NotBefore + TimeSpan.FromDays(4), twoThirds);

        _now = twoThirds.AddSeconds(-1);
        var early = Assert.Single(Run());
        _now = twoThirds;
        var due = Assert.Single(Run());

        Assert.Equal(nameof(RenewalStatus.NotDue), early.Status);
        Assert.Equal(twoThirds, early.RenewAt);
        Assert.Equal(nameof(RenewalStatus.Renewed), due.Status);
        Assert.Equal(0, _ca.RenewalInfoRequests);
        Assert.Null(_ca.NewOrders.Last()!["replaces"]);
        Assert.Equal(RenewalOutput.FromLifetime, Assert.Single(Renewals().Find().Items).RenewAtFrom);
    }

    [Fact]
    public void Renewal_information_that_cannot_be_read_is_a_warning_and_the_lifetime_decides()
    {
        Ordered();
        _ca.RenewalInfoFails = true;
        var warnings = new List<string>();

        var result = Assert.Single(Run(warnings));

        Assert.Equal(nameof(RenewalStatus.NotDue), result.Status);
        Assert.Contains("two thirds", result.Reason);
        Assert.Contains("renewal information is down", Assert.Single(warnings));
    }

    [Fact]
    public void A_certificate_without_an_authority_key_identifier_has_no_certificate_id()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=x", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Null(AcmeRenewalInfo.CertificateId(certificate.RawData));
    }
}
