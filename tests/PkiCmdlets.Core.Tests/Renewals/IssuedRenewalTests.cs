using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Integrity;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Renewals;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Renewals;

/// <summary>
/// Certificates a store CA issued, renewed by the CA itself when two thirds of their lifetime (or the share set) has
/// passed, on a clock the tests move: the renewal chains, keeps names, subject, profile and validity length, and links
/// both ways; a second run renews nothing.
/// </summary>
public sealed class IssuedRenewalTests : IDisposable
{
    private static readonly string Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com", "example.com", "192.0.2.7");
    private readonly Hierarchy _pki = new("ECC_256");
    private readonly DateTimeOffset _start = Seconds(DateTimeOffset.UtcNow);
    private DateTimeOffset _now;

    public IssuedRenewalTests()
    {
        _now = _start;
    }

    public void Dispose() => _pki.Dispose();

    private RenewalService Renewals() => new(_pki.Open(), () => _now, null, spec => TestKeys.For(spec, "renewal"), () => 0.5);

    private CertificateService Certificates() => Services.Certificates(_pki.Open(), () => _now);

    private IssuedCertificate Issue(int days, Action<NewCertificateRequest>? options = null) =>
        Certificates().Issue(new NewCertificateRequest { Csr = Csr, Issuer = new CaIdentity("Sub"), Days = days, Organization = "Example Org", OrganizationalUnit = "Web" }.Also(options));

    private List<RenewalResult> Run(bool force = false, params string[] identifiers) =>
        Renewals().Run(new RenewalRequest { Force = force, Identifiers = identifiers }, null, null, null, null, new List<PkiException>()).ToList();

    [Theory]
    [InlineData(6)]
    [InlineData(45)]
    [InlineData(398)]
    public void A_certificate_renews_once_two_thirds_of_its_lifetime_have_passed(int days)
    {
        var old = Issue(days);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        var twoThirds = _start + TimeSpan.FromTicks(TimeSpan.FromDays(days).Ticks / 3 * 2);

        _now = twoThirds.AddSeconds(-1);
        var early = Assert.Single(Run());
        Assert.Equal(nameof(RenewalStatus.NotDue), early.Status);
        Assert.Equal(twoThirds, early.RenewAt);
        Assert.Contains("two thirds", early.Reason);

        _now = twoThirds;
        var renewed = Assert.Single(Run());
        Assert.Equal(nameof(RenewalStatus.Renewed), renewed.Status);
        var fresh = renewed.NewCertificate!;
        Assert.Equal(fresh.Identifier, renewed.ReplacedBy);
        Assert.Equal(old.Identifier, fresh.Replaces);
        Assert.Equal(TimeSpan.FromDays(days), fresh.NotAfter - fresh.NotBefore);
        Assert.Equal(twoThirds, fresh.NotBefore);
        Assert.Equal(old.Names, fresh.Names);
        Assert.Equal(old.Subject, fresh.Subject);
        Assert.Equal(old.Profile, fresh.Profile);
        Assert.Equal(old.IssuerId, fresh.IssuerId);
        Assert.Equal(old.Certificate.PublicKey.EncodedKeyValue.RawData, fresh.Certificate.PublicKey.EncodedKeyValue.RawData);
        Assert.NotEqual(old.SerialNumber, fresh.SerialNumber);
        Assert.Equal(_pki.Sub.Pem + _pki.Root.Pem, fresh.CertificateChain); // what the deploy hook gets, with its chain
        AssertChains(fresh.Certificate);

        // The old one is linked to the new one and left out of the current certificates; the settings followed.
        var listed = Certificates().Find(new CertificateQuery()).Items;
        Assert.Equal(fresh.Identifier, listed.Single(c => c.Identifier == old.Identifier).ReplacedBy);
        Assert.Equal(new[] { fresh.Identifier }, Certificates().Find(new CertificateQuery { Current = true }).Items.Select(c => c.Identifier));
        var setting = Assert.Single(Renewals().Find().Items);
        Assert.Equal(fresh.Identifier, setting.Identifier);
        Assert.True(setting.Enabled);
        Assert.Equal(nameof(RenewalStatus.Renewed), setting.LastStatus);

        // Right after, nothing is due: the new certificate is young.
        var again = Assert.Single(Run());
        Assert.Equal(nameof(RenewalStatus.NotDue), again.Status);
        Assert.Equal(fresh.Identifier, again.Identifier);
        Assert.Equal(2, Certificates().Find(new CertificateQuery()).Items.Count);
    }

    [Theory]
    [InlineData("Client")]
    [InlineData("ServerAndClient")]
    public void A_renewal_keeps_the_identities_a_client_certificate_names(string profile)
    {
        var old = Issue(45, r =>
        {
            r.Profile = profile;
            r.Uris = new[] { "spiffe://example.org/ns/prod/sa/web" };
            if (profile == "Client")
            {
                r.EmailAddresses = new[] { "web@example.com" };
                r.UserPrincipalNames = new[] { "web@corp.example.com" };
            }
        });

        var fresh = Assert.Single(Run(true, old.Identifier)).NewCertificate!;

        Assert.Equal(profile, fresh.Profile);
        Assert.Equal(old.Names, fresh.Names);
        Assert.Equal(new[] { "spiffe://example.org/ns/prod/sa/web" }, fresh.Uris);
        Assert.Equal(old.EmailAddresses, fresh.EmailAddresses);
        Assert.Equal(old.UserPrincipalNames, fresh.UserPrincipalNames);
        Assert.Equal(old.Certificate.Extensions["2.5.29.17"]!.RawData, fresh.Certificate.Extensions["2.5.29.17"]!.RawData);
    }

    [Fact]
    public void A_store_that_renewed_checks_healthy_and_a_crashed_write_in_its_renewal_folder_is_a_leftover()
    {
        var old = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        _now = _start.AddDays(5);
        Assert.Equal(nameof(RenewalStatus.Renewed), Assert.Single(Run()).Status);

        // The replaced line chains like any other, and the renewal folder's files are the store's own.
        var store = _pki.Open();
        var check = new StoreCheckService(store).Check();
        Assert.True(check.Healthy, string.Join("; ", check.Problems.Select(p => p.ErrorId + " " + p.Path + " " + p.Message)));

        var crashed = store.FullPath(Path.Combine(StoreLayout.RenewalFolder, ".certificates.json." + EndedProcessId() + "." + Guid.NewGuid().ToString("N") + ".tmp"));
        File.WriteAllText(crashed, "{}");
        Assert.Contains(crashed, StoreLeftovers.Find(store));
    }

    private static int EndedProcessId()
    {
        using var ended = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        ended.WaitForExit();
        return ended.Id;
    }

    [Fact]
    public void A_share_of_the_lifetime_set_by_the_user_moves_the_renewal()
    {
        var old = Issue(100);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier, RenewAfterPercent = 50 });

        _now = _start.AddDays(50).AddSeconds(-1);
        var early = Assert.Single(Run());
        Assert.Equal(nameof(RenewalStatus.NotDue), early.Status);
        Assert.Contains("50 %", early.Reason);

        _now = _start.AddDays(50);
        Assert.Equal(nameof(RenewalStatus.Renewed), Assert.Single(Run()).Status);
        Assert.Equal(50, Assert.Single(Renewals().Find().Items).RenewAfterPercent);
    }

    [Fact]
    public void Only_certificates_set_up_for_renewal_renew_unless_they_are_named()
    {
        var setUp = Issue(6);
        var alone = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = setUp.Identifier });
        _now = _start.AddDays(5);

        var all = Run();
        var named = Assert.Single(Run(false, alone.Identifier));

        Assert.Equal(setUp.Identifier, Assert.Single(all).Identifier);
        Assert.Equal(nameof(RenewalStatus.Renewed), named.Status);
        Assert.Equal(alone.Identifier, named.Identifier);
        // Renewed once by name, it is not set up by that: the runs still leave its renewal alone.
        Assert.Equal(all[0].ReplacedBy, Assert.Single(Renewals().Find().Items).Identifier);
    }

    [Fact]
    public void Force_renews_now_and_a_renewed_certificate_named_again_is_skipped()
    {
        var old = Issue(45);
        var forced = Assert.Single(Run(true, old.Identifier));
        var again = Assert.Single(Run(true, old.Identifier));

        Assert.Equal(nameof(RenewalStatus.Renewed), forced.Status);
        Assert.Equal(nameof(RenewalStatus.Skipped), again.Status);
        Assert.Contains(forced.ReplacedBy!, again.Reason);
    }

    [Fact]
    public void A_revoked_certificate_is_skipped_unless_forced()
    {
        var old = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        Certificates().Revoke(old.Identifier, Core.Revocation.RevocationReason.Superseded);
        _now = _start.AddDays(5);

        var result = Assert.Single(Run());

        Assert.Equal(nameof(RenewalStatus.Skipped), result.Status);
        Assert.Contains("revoked", result.Reason);
    }

    [Fact]
    public void A_new_key_is_made_when_asked_and_the_certificate_keeps_its_names()
    {
        var csr = Services.Csrs(_pki.Open()).Create(new Core.Requests.NewCsrRequest { CommonName = "app.example.com", SubjectAlternativeNames = new[] { "api.example.com" }, Algorithm = "ECC_256" });
        var old = Certificates().Issue(new NewCertificateRequest { Csr = csr.Csr, Issuer = new CaIdentity("Sub"), Days = 6 });
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier, NewKey = true });

        var renewed = Assert.Single(Run(true)).NewCertificate!;

        Assert.NotEqual(old.Certificate.PublicKey.EncodedKeyValue.RawData, renewed.Certificate.PublicKey.EncodedKeyValue.RawData);
        Assert.NotNull(renewed.CsrId);
        Assert.NotEqual(old.CsrId, renewed.CsrId);
        Assert.Equal(old.Names, renewed.Names);
        var newCsr = Services.Csrs(_pki.Open()).Get(renewed.CsrId!.Value);
        Assert.Equal("app.example.com", newCsr.CommonName);
        Assert.Null(Assert.Single(Renewals().Find().Items).LastMessage);
    }

    [Fact]
    public void A_new_key_needs_the_key_in_the_store()
    {
        var old = Issue(6); // its CSR was made elsewhere
        var before = _pki.Store.Snapshot();

        var error = Assert.Throws<PkiException>(() => Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier, NewKey = true }));

        Assert.Equal(ErrorIds.RenewalNotPossible, error.ErrorId);
        Assert.Equal(old.Identifier, error.Target);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_failed_renewal_is_reported_with_its_error_and_leaves_the_certificate_current()
    {
        var old = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        // The issuer's key goes away: the CA can no longer sign.
        File.Delete(Path.Combine(_pki.Store.Root, StoreLayout.CaKey(_pki.Sub.Id)));
        _now = _start.AddDays(5);
        var errors = new List<PkiException>();

        var result = Assert.Single(Renewals().Run(new RenewalRequest(), null, null, errors.Add, null, new List<PkiException>()));

        Assert.Equal(nameof(RenewalStatus.Failed), result.Status);
        Assert.Equal(Assert.Single(errors).ErrorId, result.ErrorId);
        Assert.Equal(Assert.Single(Certificates().Find(new CertificateQuery { Current = true }).Items).Identifier, old.Identifier);
        var setting = Assert.Single(Renewals().Find().Items);
        Assert.Equal(nameof(RenewalStatus.Failed), setting.LastStatus);
        Assert.Equal(result.Reason, setting.LastMessage);
    }

    [Fact]
    public void A_certificate_claimed_by_another_session_is_skipped_and_left_to_it()
    {
        var old = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        _now = _start.AddDays(5);

        using (var claim = _pki.Open().TryClaim(StoreLayout.RenewalClaim(old.Identifier)))
        {
            Assert.NotNull(claim);
            var result = Assert.Single(Run());
            Assert.Equal(nameof(RenewalStatus.Skipped), result.Status);
            Assert.Contains("another session", result.Reason);
        }
        Assert.Equal(nameof(RenewalStatus.Renewed), Assert.Single(Run()).Status);
        Assert.False(File.Exists(Path.Combine(_pki.Store.Root, StoreLayout.RenewalClaim(old.Identifier))));
    }

    [Fact]
    public void Threads_renewing_at_once_renew_each_certificate_once()
    {
        var certificates = Enumerable.Range(0, 4).Select(_ => Issue(6)).ToList();
        foreach (var certificate in certificates) Renewals().Set(new SetRenewalRequest { Identifier = certificate.Identifier });
        _now = _start.AddDays(5);
        using var go = new ManualResetEventSlim();

        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            go.Wait();
            return Run();
        })).ToList();
        go.Set();
        var results = runs.SelectMany(r => r.Result).ToList();

        var renewed = results.Where(r => r.Status == nameof(RenewalStatus.Renewed)).ToList();
        Assert.Equal(certificates.Select(c => c.Identifier).OrderBy(i => i), renewed.Select(r => r.Identifier).OrderBy(i => i));
        Assert.All(results.Except(renewed), r => Assert.Contains(r.Status, new[] { nameof(RenewalStatus.Skipped), nameof(RenewalStatus.NotDue) }));
        var all = Certificates().Find(new CertificateQuery()).Items;
        Assert.Equal(8, all.Count);
        Assert.Equal(4, all.Count(c => c.ReplacedBy == null));
    }

    [Fact]
    public void The_run_is_logged_with_what_it_renewed_and_what_failed()
    {
        var old = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        _now = _start.AddDays(1);
        Run();
        _now = _start.AddDays(5);
        var renewed = Assert.Single(Run());

        var runs = Renewals().Runs();

        Assert.Equal(2, runs.Count);
        Assert.Equal(1, runs[0].NotDue);
        Assert.Empty(runs[0].Renewed);
        Assert.Equal(new[] { old.Identifier + " -> " + renewed.ReplacedBy }, runs[1].Renewed);
        Assert.Equal(_start.AddDays(5), runs[1].StartedAt);
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        var old = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        _now = _start.AddDays(5);
        var before = _pki.Store.Snapshot();

        var results = Renewals().Run(new RenewalRequest { WhatIf = true }, _ => false, null, null, null, new List<PkiException>()).ToList();

        Assert.Empty(results);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void Removing_a_renewal_stops_the_runs_from_renewing_it()
    {
        var old = Issue(6);
        Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier });
        Renewals().Remove(old.Identifier);
        _now = _start.AddDays(5);

        Assert.Empty(Run());
        Assert.Empty(Renewals().Find().Items);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100)]
    public void A_share_outside_1_to_99_is_refused(int percent)
    {
        var old = Issue(6);
        var before = _pki.Store.Snapshot();

        var error = Assert.Throws<PkiException>(() => Renewals().Set(new SetRenewalRequest { Identifier = old.Identifier, RenewAfterPercent = percent }));

        Assert.Equal(ErrorIds.RenewalPercentInvalid, error.ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    private void AssertChains(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Root.Certificate!);
        chain.ChainPolicy.ExtraStore.Add(_pki.Sub.Certificate!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _now.UtcDateTime.AddMinutes(1);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    private static DateTimeOffset Seconds(DateTimeOffset value) => new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}

internal static class RequestExtensions
{
    public static NewCertificateRequest Also(this NewCertificateRequest request, Action<NewCertificateRequest>? options)
    {
        options?.Invoke(request);
        return request;
    }
}
