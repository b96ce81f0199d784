using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Acme;
using PkiCmdlets.Core.Tests.Support;
using Xunit.Abstractions;

namespace PkiCmdlets.Core.Tests.Orders;

/// <summary>Certificate orders through CertificateOrderService against a real Pebble, from CSR to a stored, exportable certificate.</summary>
[Collection(PebbleCollection.Name)]
public sealed class OrderPebbleTests : IDisposable
{
    private readonly PebbleFixture _pebble;
    private readonly ITestOutputHelper _output;
    private readonly TempStore _temp = new();

    public OrderPebbleTests(PebbleFixture pebble, ITestOutputHelper output)
    {
        _pebble = pebble;
        _output = output;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Dns01_order_ends_valid_and_its_certificate_is_stored_chained_and_exportable_with_the_csr_key()
    {
        var domain = PebbleFixture.UniqueDomain();
        var csr = Csr(domain, "www." + domain);
        var orders = Orders();
        var log = new List<string>();
        var progress = new List<string>();
        var threads = new HashSet<int>();
        var callbacks = new OrderCallbacks
        {
            Log = line => { log.Add(line); threads.Add(Environment.CurrentManagedThreadId); },
            Progress = new Progress(status => { progress.Add(status); threads.Add(Environment.CurrentManagedThreadId); }),
        };

        var clock = Stopwatch.StartNew();
        var order = orders.Submit(Request(csr.Csr!, null, r => { r.Username = "keller"; r.Phone = "1381111****"; }), callbacks: callbacks)!;
        foreach (var challenge in order.Challenges) SetTxt(challenge.Domain, challenge.RecordValue!);
        var done = orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true, TimeoutSeconds = 60 }, callbacks);
        clock.Stop();
        _output.WriteLine($"dns-01 order for 2 names through CertificateOrderService (submit, TXT records, complete -Wait, certificate stored): {clock.ElapsedMilliseconds} ms");

        Assert.Equal(1, order.OrderId);
        Assert.Equal(nameof(OrderStatus.Pending), order.Status);
        Assert.Equal(new[] { domain, "www." + domain }, order.Domains);
        Assert.Equal(nameof(ValidationMethod.Dns), order.ValidationMethod);
        Assert.Equal(_pebble.DirectoryUrl.AbsoluteUri, order.Server);
        Assert.Equal(("ops@example.com", "keller", "1381111****"), (order.Email, order.Username, order.Phone));
        Assert.Equal(csr.Id, order.CsrId);
        Assert.True(order.SkipCertificateCheck);
        Assert.NotNull(order.Expires);
        Assert.Null(order.CertificateIdentifier);
        Assert.Equal(order.Domains.Order(), order.Challenges.Select(c => c.Domain).Order());
        Assert.All(order.Challenges, c =>
        {
            Assert.Equal(AcmeChallenge.Dns01, c.Type);
            Assert.Equal("pending", c.Status);
            Assert.Equal("_acme-challenge." + c.Domain, c.RecordName);
            Assert.Equal("TXT", c.RecordType);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", c.RecordValue);
            Assert.Null(c.Url);
        });

        Assert.Equal(nameof(OrderStatus.Valid), done.Status);
        Assert.NotNull(done.CertificateIdentifier);
        Assert.Equal(done.CertificateIdentifier, done.Identifier);
        Assert.All(done.Challenges, c => Assert.Equal("valid", c.Status));
        // The certificate's own expiry, not the order's (which Pebble sets to hours from now).
        Assert.Null(order.NotAfter);
        Assert.Equal(Services.Certificates(_temp.Open()).Get(done.CertificateIdentifier!).NotAfter, done.NotAfter);
        Assert.Equal(done.NotAfter, orders.Get(order.OrderId).NotAfter);

        // Every request logged as method, URL and status, and every callback on this (the "pipeline") thread.
        Assert.Contains(log, l => l.StartsWith("POST " + order.OrderUrl + " 200", StringComparison.Ordinal));
        Assert.All(log, l => Assert.Matches(@"^(GET|HEAD|POST) https://127\.0\.0\.1:\d+/\S* \d{3}$", l));
        Assert.Contains(Messages.ProgressFinalizing, progress);
        Assert.Equal(new[] { Environment.CurrentManagedThreadId }, threads);

        var stored = Assert.Single(Services.Certificates(_temp.Open()).Find(new CertificateQuery { Identifiers = new[] { done.CertificateIdentifier! } }).Items);
        Assert.Equal(CertificateService.ExternalIssuerId, stored.IssuerId);
        Assert.Equal(order.Domains.Order(), stored.DnsNames.Order());
        Assert.Equal(csr.Id, stored.CsrId);
        AssertChainsToPebble(stored, webRoot: false);

        var pfx = Path.Combine(_temp.Folder, "www.pfx");
        new CertificateExportService(_temp.Open()).Export(new ExportRequest
        {
            Identifier = done.Identifier!, Format = ExportFormat.Pfx, Path = pfx, IncludeChain = true, IncludePrivateKey = true, Password = Services.Password("pw"),
        });
        using var exported = X509CertificateLoader.LoadPkcs12FromFile(pfx, "pw");
        Assert.True(exported.HasPrivateKey);
        Assert.Equal(stored.Thumbprint, exported.Thumbprint);
        Assert.Equal(csr.PublicKeySha256, Sha256Hex(exported.PublicKey.ExportSubjectPublicKeyInfo()));

        // Done is done: completing again changes nothing and stores no second copy.
        var again = orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true });
        Assert.Equal(done.CertificateIdentifier, again.CertificateIdentifier);
        Assert.Single(Services.Certificates(_temp.Open()).Find(new CertificateQuery { DnsNames = new[] { domain } }).Items);
    }

    [Fact]
    public void Http01_order_with_a_web_root_ends_valid_and_cleans_up_its_files()
    {
        var domain = PebbleFixture.UniqueDomain();
        var csr = Csr(domain, "RSA_2048");
        var orders = Orders();

        var order = orders.Submit(Request(csr.Csr!, _pebble.WebRootDirectoryUrl, r => { r.ValidationMethod = "FILE"; r.WebRoot = _pebble.WebRoot; }))!;

        Assert.Equal(nameof(ValidationMethod.Http), order.ValidationMethod);
        Assert.Equal(_pebble.WebRoot, order.WebRoot);
        var challenge = Assert.Single(order.Challenges);
        Assert.Equal(AcmeChallenge.Http01, challenge.Type);
        Assert.Equal($"http://{domain}/.well-known/acme-challenge/{challenge.FileName}", challenge.Url);
        Assert.Equal(Path.Combine(_pebble.WebRoot, ".well-known", "acme-challenge", challenge.FileName!), challenge.FilePath);
        Assert.Equal(challenge.FileContent, File.ReadAllText(challenge.FilePath!));
        Assert.StartsWith(challenge.FileName + ".", challenge.FileContent);
        Assert.Null(challenge.RecordName);
        // The web server must be able to read it.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(challenge.FilePath!));

        var done = orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true, TimeoutSeconds = 60 });

        Assert.Equal(nameof(OrderStatus.Valid), done.Status);
        Assert.False(File.Exists(challenge.FilePath), "the challenge file should be removed once the order is done");
        var stored = Services.Certificates(_temp.Open()).Get(done.Identifier!);
        Assert.Equal(new[] { domain }, stored.DnsNames);
        Assert.Equal("RSA_2048", stored.Algorithm);
        AssertChainsToPebble(stored, webRoot: true);
    }

    [Fact]
    public void Waiting_stops_at_the_time_out_and_leaves_the_order_to_be_completed_later()
    {
        var orders = Orders();
        var order = orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!, _pebble.WebRootDirectoryUrl, r => r.WebRoot = _pebble.WebRoot))!;
        _pebble.WebRootServer.Stall(order.Challenges.Single().FileName!);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<PkiException>(() => orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true, TimeoutSeconds = 1 }));

        _output.WriteLine($"{clock.ElapsedMilliseconds} ms: {e.Message}");
        Assert.Equal(ErrorIds.AcmeTimeout, e.ErrorId);
        Assert.Equal(PkiErrorKind.OperationTimeout, e.Kind);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Contains("-Wait", e.Message);
        Assert.Equal(order.OrderId, Assert.IsType<CertificateOrder>(e.Target).OrderId);
        Assert.Equal(nameof(OrderStatus.Pending), orders.Find(new[] { order.OrderId }).Items.Single().Status);
    }

    [Fact]
    public void An_unanswered_challenge_ends_invalid_with_pebbles_problem_and_the_order_cannot_be_completed_again()
    {
        var domain = PebbleFixture.UniqueDomain();
        var orders = Orders();
        var order = orders.Submit(Request(Csr(domain).Csr!))!;

        var e = Assert.Throws<PkiException>(() => orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true, TimeoutSeconds = 60 }));

        _output.WriteLine(e.Message);
        Assert.Equal(ErrorIds.AcmeOrderInvalid, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidOperation, e.Kind);
        var failed = Assert.IsType<CertificateOrder>(e.Target);
        Assert.Equal(nameof(OrderStatus.Invalid), failed.Status);
        Assert.Contains(domain, e.Message);
        Assert.Contains(AcmeProblem.ErrorNamespace, e.Message);
        Assert.Contains("dns-01", e.Message);
        var challenge = Assert.Single(failed.Challenges);
        Assert.Equal("invalid", challenge.Status);
        Assert.Contains(AcmeProblem.ErrorNamespace, challenge.Error);
        Assert.Equal(failed.Error, orders.Get(order.OrderId).Error);
        Assert.Equal(nameof(OrderStatus.Invalid), orders.Get(order.OrderId).Status);

        var again = Assert.Throws<PkiException>(() => orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true }));
        Assert.Equal(ErrorIds.OrderStateError, again.ErrorId);
        Assert.Contains(domain, again.Message);
        Assert.Contains(AcmeProblem.ErrorNamespace, again.Message);
    }

    [Fact]
    public void Without_wait_an_order_that_turned_invalid_is_an_error_never_a_quiet_status()
    {
        var domain = PebbleFixture.UniqueDomain();
        var orders = Orders();
        var order = orders.Submit(Request(Csr(domain).Csr!))!;

        PkiException? failure = null;
        for (var attempt = 0; attempt < 100 && failure == null; attempt++)
        {
            try
            {
                var state = orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId });
                Assert.NotEqual(nameof(OrderStatus.Invalid), state.Status);
                Thread.Sleep(50);
            }
            catch (PkiException e)
            {
                failure = e;
            }
        }

        Assert.NotNull(failure);
        Assert.Contains(failure!.ErrorId, new[] { ErrorIds.AcmeOrderInvalid, ErrorIds.OrderStateError });
        Assert.Contains(AcmeProblem.ErrorNamespace, failure.Message);
        Assert.Equal(nameof(OrderStatus.Invalid), orders.Get(order.OrderId).Status);
    }

    [Fact]
    public void Without_wait_each_complete_goes_as_far_as_it_can_and_get_refreshes_the_status()
    {
        var domain = PebbleFixture.UniqueDomain();
        var orders = Orders();
        var order = orders.Submit(Request(Csr(domain).Csr!))!;
        SetTxt(domain, order.Challenges.Single().RecordValue!);

        var answered = orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId });
        Assert.Null(answered.CertificateIdentifier);
        Assert.Contains(answered.Status, new[] { nameof(OrderStatus.Pending), nameof(OrderStatus.Ready) });

        var ready = Poll(() => orders.Get(order.OrderId), o => o.Status == nameof(OrderStatus.Ready));
        Assert.True(ready.CheckedAt > order.CheckedAt);
        Assert.Equal("valid", ready.Challenges.Single().Status);
        Assert.Equal(nameof(OrderStatus.Ready), Assert.Single(orders.Find().Items).Status);

        var finalized = orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId });
        Assert.Contains(finalized.Status, new[] { nameof(OrderStatus.Processing), nameof(OrderStatus.Valid) });
        var stored = Poll(() => orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId }), o => o.CertificateIdentifier != null);
        Assert.Equal(nameof(OrderStatus.Valid), stored.Status);
        Assert.Equal(stored.CertificateIdentifier, orders.Get(order.OrderId).CertificateIdentifier);
    }

    [Fact]
    public void A_wildcard_order_asks_for_its_txt_record_at_the_base_domain()
    {
        var domain = PebbleFixture.UniqueDomain();
        var order = Orders().Submit(Request(Csr("*." + domain, domain).Csr!))!;

        Assert.Equal(new[] { "*." + domain, domain }, order.Domains);
        var wildcard = order.Challenges.Single(c => c.Domain == "*." + domain);
        var plain = order.Challenges.Single(c => c.Domain == domain);
        Assert.Equal("_acme-challenge." + domain, wildcard.RecordName);
        Assert.Equal(wildcard.RecordName, plain.RecordName);
        Assert.NotEqual(wildcard.RecordValue, plain.RecordValue);
    }

    [Fact]
    public void External_account_binding_creates_the_account_at_a_pebble_that_requires_it()
    {
        var domain = PebbleFixture.UniqueDomain();
        var orders = Orders();
        var request = Request(Csr(domain).Csr!, _pebble.EabDirectoryUrl);
        var before = _temp.Snapshot();

        var refused = Assert.Throws<PkiException>(() => orders.Submit(request));
        Assert.Equal(ErrorIds.AcmeProblem, refused.ErrorId);
        Assert.Contains("externalAccountRequired", refused.Message);
        Assert.Equal(before, _temp.Snapshot());

        request.EabKeyId = PebbleFixture.EabKeyId;
        request.EabHmacKey = Services.Password(_pebble.EabMacKey);
        var order = orders.Submit(request)!;
        SetTxt(domain, order.Challenges.Single().RecordValue!);
        var done = orders.Complete(new CompleteCertificateOrderRequest { OrderId = order.OrderId, Wait = true, TimeoutSeconds = 60 });

        Assert.Equal(nameof(OrderStatus.Valid), done.Status);
        var account = Assert.Single(Directory.GetFiles(Path.Combine(_temp.Root, "acme", "accounts"), "*.json"));
        Assert.Contains(PebbleFixture.EabKeyId, File.ReadAllText(account));
        Assert.DoesNotContain(_pebble.EabMacKey, string.Concat(_temp.Snapshot().Values));
    }

    [Fact]
    public void A_second_order_reuses_the_account_without_email_or_terms()
    {
        var orders = Orders();
        var first = orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!))!;
        var second = orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!, null, r => { r.Email = null; r.AcceptTermsOfService = false; }))!;

        Assert.Equal(first.AccountUrl, second.AccountUrl);
        Assert.Equal(first.OrderId + 1, second.OrderId);
        var accounts = Path.Combine(_temp.Root, "acme", "accounts");
        var id = AcmeAccountStore.Id(_pebble.DirectoryUrl);
        Assert.Equal(new[] { id + ".json", id + ".key.pem" }, Directory.GetFiles(accounts).Select(Path.GetFileName).Order());
        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(Path.Combine(accounts, id + ".key.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(accounts, id + ".key.pem")));
        Assert.Null(second.Email);
    }

    [Fact]
    public void An_account_the_server_lost_is_created_again_when_terms_are_accepted()
    {
        var orders = Orders();
        var first = orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!))!;
        var accountFile = Path.Combine(_temp.Root, StoreLayout.AcmeAccountRecord(AcmeAccountStore.Id(_pebble.DirectoryUrl)));
        File.WriteAllText(accountFile, File.ReadAllText(accountFile).Replace(first.AccountUrl, first.AccountUrl + "0"));

        var e = Assert.Throws<PkiException>(() => orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!, null, r => { r.AcceptTermsOfService = false; })));
        Assert.Equal(ErrorIds.TermsOfServiceNotAccepted, e.ErrorId);
        Assert.Contains("no longer exists", e.Message);

        var second = orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!))!;
        Assert.NotEqual(first.AccountUrl + "0", second.AccountUrl);
        Assert.Contains(second.AccountUrl, File.ReadAllText(accountFile));
    }

    [Fact]
    public void Remove_deletes_one_order_and_leaves_the_others_and_the_account()
    {
        var orders = Orders();
        var first = orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!))!;
        var second = orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!))!;

        var removed = orders.Remove(first.OrderId);

        Assert.Equal(first.OrderId, removed!.OrderId);
        Assert.Equal(ErrorIds.OrderNotFound, Assert.Throws<PkiException>(() => orders.Get(first.OrderId)).ErrorId);
        var left = orders.Find();
        Assert.Empty(left.Problems);
        Assert.Equal(second.OrderId, Assert.Single(left.Items).OrderId);
        Assert.Equal(new[] { second.OrderId }, orders.ListStored().Select(o => o.OrderId)); // what tab completion offers
        Assert.False(File.Exists(Path.Combine(_temp.Root, StoreLayout.OrderCsr(first.OrderId))));
        Assert.True(File.Exists(Path.Combine(_temp.Root, StoreLayout.AcmeAccountRecord(AcmeAccountStore.Id(_pebble.DirectoryUrl)))));
        // Ids are never reused.
        Assert.Equal(second.OrderId + 1, orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!))!.OrderId);
    }

    [Fact]
    public void Without_accepting_the_terms_no_account_is_created_and_the_message_names_the_terms()
    {
        var e = Assert.Throws<PkiException>(() => Orders().Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!, null, r => { r.AcceptTermsOfService = false; })));

        _output.WriteLine(e.Message);
        Assert.Equal(ErrorIds.TermsOfServiceNotAccepted, e.ErrorId);
        Assert.Contains(_pebble.DirectoryUrl.AbsoluteUri, e.Message);
        Assert.Contains("data:text/plain", e.Message);
        Assert.Contains("-AcceptTermsOfService", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "acme")));
    }

    [Fact]
    public void A_profile_the_server_does_not_offer_is_refused_before_the_account_is_created()
    {
        var e = Assert.Throws<PkiException>(() => Orders().Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!, null, r => { r.Profile = "symantec-free-1-free"; })));

        Assert.Equal(ErrorIds.AcmeProfileNotOffered, e.ErrorId);
        Assert.Contains("symantec-free-1-free", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "acme")));
    }

    [Fact]
    public void A_name_pebble_refuses_surfaces_pebbles_problem_and_keeps_no_order()
    {
        var orders = Orders();
        orders.Submit(Request(Csr(PebbleFixture.UniqueDomain()).Csr!));
        var before = _temp.Snapshot();

        var e = Assert.Throws<PkiException>(() => orders.Submit(Request(Csr(PebbleFixture.BlockedDomain).Csr!)));

        Assert.Equal(ErrorIds.AcmeProblem, e.ErrorId);
        Assert.Contains("rejectedIdentifier", e.Message);
        Assert.Equal(before.Keys.Where(k => !k.StartsWith("csrs") && !k.StartsWith("keys")).Order(),
            _temp.Snapshot().Keys.Where(k => !k.StartsWith("csrs") && !k.StartsWith("keys")).Order());
    }

    private CertificateOrderService Orders() => new(_temp.Open(), o =>
    {
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.NetworkRetryDelay = TimeSpan.FromMilliseconds(100);
    });

    private SubmitCertificateOrderRequest Request(string csr, Uri? server = null, Action<SubmitCertificateOrderRequest>? change = null)
    {
        var request = new SubmitCertificateOrderRequest
        {
            Csr = csr,
            Email = "ops@example.com",
            Server = (server ?? _pebble.DirectoryUrl).AbsoluteUri,
            AcceptTermsOfService = true,
            SkipCertificateCheck = true,
        };
        change?.Invoke(request);
        return request;
    }

    /// <summary>A CSR made in the store (so its key can be exported later) for a name and more.</summary>
    private CertificateSigningRequest Csr(string commonName, params string[] more)
    {
        var algorithm = more.FirstOrDefault(m => m.Contains('_')) ?? "ECC_256";
        return new CsrService(_temp.Open()).Create(new NewCsrRequest
        {
            CommonName = commonName,
            SubjectAlternativeNames = more.Where(m => !m.Contains('_')).ToArray(),
            Algorithm = algorithm,
        });
    }

    /// <summary>Publishes the TXT record through pebble-challtestsrv, as the user would in their DNS.</summary>
    private void SetTxt(string domain, string value) => _pebble.SetTxtAsync(domain, value).GetAwaiter().GetResult();

    private static T Poll<T>(Func<T> read, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = read();
            if (done(value)) return value;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out polling: " + value);
            Thread.Sleep(100);
        }
    }

    private void AssertChainsToPebble(IssuedCertificate stored, bool webRoot)
    {
        var (root, intermediate) = _pebble.IssuersAsync(webRoot).GetAwaiter().GetResult();
        var issuers = new X509Certificate2Collection();
        issuers.ImportFromPem(stored.CertificateChain!);
        Assert.Equal(intermediate.Thumbprint, issuers[0].Thumbprint);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(issuers);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(stored.Certificate!), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(root.Thumbprint, chain.ChainElements[^1].Certificate.Thumbprint);
    }

    private static string Sha256Hex(byte[] data) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).ToLowerInvariant();

    private sealed class Progress : IProgress<string>
    {
        private readonly Action<string> _report;

        public Progress(Action<string> report)
        {
            _report = report;
        }

        public void Report(string value) => _report(value);
    }
}
