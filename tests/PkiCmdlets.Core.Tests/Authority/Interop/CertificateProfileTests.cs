using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;
using static PkiCmdlets.Core.Tests.Authority.Interop.OpenSslText;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>What openssl reads in our root, intermediate and server certificates: DESIGN.md's "Certificate profiles".</summary>
public sealed class CertificateProfileTests : IClassFixture<HierarchyFixture>
{
    private const string BasicConstraints = "X509v3 Basic Constraints";
    private const string KeyUsage = "X509v3 Key Usage";
    private const string ExtendedKeyUsage = "X509v3 Extended Key Usage";
    private const string SubjectAltName = "X509v3 Subject Alternative Name";
    private const string SubjectKeyId = "X509v3 Subject Key Identifier";
    private const string AuthorityKeyId = "X509v3 Authority Key Identifier";
    private const string NameConstraints = "X509v3 Name Constraints";
    private const string CrlDistributionPoints = "X509v3 CRL Distribution Points";

    private readonly HierarchyFixture _hierarchies;

    public CertificateProfileTests(HierarchyFixture hierarchies) => _hierarchies = hierarchies;

    public static TheoryData<string, string> SignatureAlgorithms => new()
    {
        { "RSA_2048", "sha256WithRSAEncryption" },
        { "ECC_256", "ecdsa-with-SHA256" },
        { "ECC_384", "ecdsa-with-SHA384" },
        { "ECC_521", "ecdsa-with-SHA512" },
        { "SM2_256", "SM2-with-SM3" },
    };

    [Theory]
    [MemberData(nameof(SignatureAlgorithms))]
    public void Root_is_a_critical_unlimited_ca_for_certificate_and_crl_signing_with_a_key_identifier(string algorithm, string signatureAlgorithm)
    {
        var h = _hierarchies[algorithm];
        var text = Text(h.RootPath);

        Assert.Equal(new Extension(true, "CA:TRUE"), Get(text, BasicConstraints));
        Assert.Equal(new Extension(true, "Certificate Sign, CRL Sign"), Get(text, KeyUsage));
        Assert.Equal(new Extension(false, KeyIdOf(h.Hierarchy.Root.Certificate!)), Get(text, SubjectKeyId));
        Assert.Null(Find(text, CrlDistributionPoints));
        Assert.Null(Find(text, NameConstraints));
        Assert.Equal(signatureAlgorithm, SignatureAlgorithm(text));
    }

    [Fact]
    public void Root_path_length_is_written_when_given_and_the_chain_below_it_still_verifies()
    {
        using var temp = new TempStore();
        var cas = Services.Cas(temp.Open(), keyRole: "root");
        cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Limited Root", Algorithm = "ECC_256", NoPassword = true, PathLength = 1 });
        var sub = Services.Cas(temp.Open(), keyRole: "sub").CreateSubordinate(new NewCaRequest
        {
            Name = "Sub", CommonName = "Limited Sub", Algorithm = "ECC_256", NoPassword = true, Issuer = new CaIdentity("Root"),
        });
        var leaf = Services.Certificates(temp.Open()).Issue(new NewCertificateRequest
        {
            Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"), Issuer = new CaIdentity("Sub"),
        });
        Directory.CreateDirectory(temp.Folder);
        var rootPath = Path.Combine(temp.Folder, "root.pem");
        var subPath = Path.Combine(temp.Folder, "sub.pem");
        var leafPath = Path.Combine(temp.Folder, "leaf.pem");
        File.WriteAllText(rootPath, cas.Get(new CaIdentity("Root")).Pem);
        File.WriteAllText(subPath, sub.Pem);
        File.WriteAllText(leafPath, leaf.X509Certificate);

        Assert.Equal(new Extension(true, "CA:TRUE, pathlen:1"), Get(Text(rootPath), BasicConstraints));
        Assert.Equal(new Extension(true, "CA:TRUE, pathlen:0"), Get(Text(subPath), BasicConstraints));
        Assert.Contains(": OK", OpenSsl.Ok($"verify -x509_strict -purpose sslserver -CAfile \"{rootPath}\" -untrusted \"{subPath}\" \"{leafPath}\""));
    }

    [Theory]
    [MemberData(nameof(SignatureAlgorithms))]
    public void Intermediate_is_a_critical_path_length_0_ca_pointing_at_its_root(string algorithm, string signatureAlgorithm)
    {
        var h = _hierarchies[algorithm];
        var text = Text(h.SubPath);
        var rootKeyId = Get(Text(h.RootPath), SubjectKeyId).Value;

        Assert.Equal(new Extension(true, "CA:TRUE, pathlen:0"), Get(text, BasicConstraints));
        Assert.Equal(new Extension(true, "Certificate Sign, CRL Sign"), Get(text, KeyUsage));
        Assert.Equal(new Extension(false, KeyIdOf(h.Hierarchy.Sub.Certificate!)), Get(text, SubjectKeyId));
        Assert.Equal(new Extension(false, rootKeyId), Get(text, AuthorityKeyId));
        Assert.NotEqual(rootKeyId, Get(text, SubjectKeyId).Value);
        // An intermediate carries its issuer's CRL location, where the root would list it if revoked.
        Assert.Equal(new Extension(false, "Full Name:\nURI:" + InteropHierarchy.RootCrlUrl), Get(text, CrlDistributionPoints));
        Assert.Null(Find(text, NameConstraints));
        Assert.Equal(signatureAlgorithm, SignatureAlgorithm(text));
        Assert.Contains("Issuer: C = US, O = Example Org, CN = Test Root CA", text);
    }

    [Fact]
    public void Intermediate_name_constraints_are_critical_and_list_what_was_asked()
    {
        using var h = Constrained();
        var text = Text(h.SubPath);

        Assert.Equal(new Extension(true, string.Join("\n",
                "Permitted:",
                "DNS:example.com",
                "DNS:.example.net",
                "IP:10.0.0.0/255.0.0.0",
                "IP:FD00:0:0:0:0:0:0:0/FF00:0:0:0:0:0:0:0",
                "Excluded:",
                "DNS:bad.example.com")),
            Get(text, NameConstraints));
    }

    [Fact]
    public void Name_constraints_bind_in_openssl_exactly_where_the_core_refuses_to_issue()
    {
        using var h = Constrained();

        // Inside: the core issues and openssl accepts the chain.
        var inside = h.Write(h.Issue("www.example.com", new[] { "example.com", "a.example.net", "10.1.2.3", "fd00::5" }));
        Assert.Contains(": OK", OpenSsl.Ok($"verify -x509_strict -purpose sslserver -CAfile \"{h.RootPath}\" -untrusted \"{h.SubPath}\" \"{inside}\""));

        // Outside: the core refuses, and a certificate signed anyway (bypassing the check) is one openssl rejects.
        foreach (var (name, violation) in new[]
        {
            ("bad.example.com", "excluded subtree violation"),
            ("x.bad.example.com", "excluded subtree violation"),
            ("example.net", "permitted subtree violation"),
            ("www.example.org", "permitted subtree violation"),
            ("192.0.2.1", "permitted subtree violation"),
            ("fe80::1", "permitted subtree violation"),
        })
        {
            var refused = Assert.Throws<PkiException>(() => h.Issue("www.example.com", new[] { name }));
            Assert.Equal(ErrorIds.NameNotPermitted, refused.ErrorId);

            var forged = Forge(h, "www.example.com", name);
            var result = OpenSsl.Run($"verify -x509_strict -purpose sslserver -CAfile \"{h.RootPath}\" -untrusted \"{h.SubPath}\" \"{forged}\"");
            Assert.True(result.ExitCode != 0 && result.All.Contains(violation), $"{name}: {result.All}");
        }
    }

    public static TheoryData<string, string, string> ServerProfiles => new()
    {
        { "RSA_2048", "Digital Signature, Key Encipherment", "sha256WithRSAEncryption" },
        { "ECC_256", "Digital Signature", "ecdsa-with-SHA256" },
        { "ECC_384", "Digital Signature", "ecdsa-with-SHA384" },
        { "ECC_521", "Digital Signature", "ecdsa-with-SHA512" },
        { "SM2_256", "Digital Signature", "SM2-with-SM3" },
    };

    [Theory]
    [MemberData(nameof(ServerProfiles))]
    public void Server_certificate_has_the_tls_server_profile(string algorithm, string keyUsage, string signatureAlgorithm)
    {
        var h = _hierarchies[algorithm];
        var issued = h.Issue("www.example.com", new[] { "api.example.com", "192.0.2.7" }, r => r.Domains = new[] { "extra.example.com", "10.1.2.3, 2001:db8::1" });
        var text = Text(h.Write(issued));

        Assert.Contains("Version: 3 (0x2)", text);
        Assert.Equal(new Extension(true, "CA:FALSE"), Get(text, BasicConstraints));
        Assert.Equal(new Extension(true, keyUsage), Get(text, KeyUsage));
        Assert.Equal(new Extension(false, "TLS Web Server Authentication"), Get(text, ExtendedKeyUsage));
        Assert.Equal(new Extension(false, "DNS:www.example.com, DNS:api.example.com, IP Address:192.0.2.7, DNS:extra.example.com, IP Address:10.1.2.3, IP Address:2001:DB8:0:0:0:0:0:1"),
            Get(text, SubjectAltName));
        Assert.Equal(new Extension(false, KeyIdOf(issued.Certificate!)), Get(text, SubjectKeyId));
        Assert.Equal(new Extension(false, Get(Text(h.SubPath), SubjectKeyId).Value), Get(text, AuthorityKeyId));
        Assert.Null(Find(text, CrlDistributionPoints));
        Assert.Equal(signatureAlgorithm, SignatureAlgorithm(text));
        Assert.Equal(new[] { "www.example.com", "api.example.com", "extra.example.com" }, issued.DnsNames);
        Assert.Equal(new[] { "192.0.2.7", "10.1.2.3", "2001:db8::1" }, issued.IpAddresses);
    }

    [Theory]
    [InlineData("www.example.com", new[] { "api.example.com", "WWW.example.com" }, "DNS:www.example.com, DNS:api.example.com")]
    [InlineData("192.0.2.10", new[] { "www.example.com" }, "IP Address:192.0.2.10, DNS:www.example.com")]
    [InlineData("Payments Web Server", new[] { "pay.example.com" }, "DNS:pay.example.com")]
    public void Common_name_is_copied_into_the_sans_once_and_only_when_it_is_a_name(string commonName, string[] sans, string expected)
    {
        var h = _hierarchies["ECC_256"];
        var text = Text(h.Write(h.Issue(commonName, sans)));

        Assert.Equal(new Extension(false, expected), Get(text, SubjectAltName));
    }

    [Fact]
    public void Crl_distribution_point_is_the_issuers_url_only_when_asked_for()
    {
        var h = _hierarchies["ECC_256"];
        var with = Text(h.Write(h.Issue("www.example.com", options: r => r.EnableCrl = true)));
        var without = Text(h.Write(h.Issue("www.example.com")));

        Assert.Equal(new Extension(false, "Full Name:\nURI:" + InteropHierarchy.SubCrlUrl), Get(with, CrlDistributionPoints));
        Assert.Null(Find(without, CrlDistributionPoints));
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    [InlineData("SM2_256")]
    public void Serial_number_is_16_positive_bytes_and_reads_the_same_in_openssl_dotnet_and_our_object(string algorithm)
    {
        var h = _hierarchies[algorithm];
        var issued = h.Issue("www.example.com");
        var path = h.Write(issued);

        var printed = OpenSsl.Ok($"x509 -in \"{path}\" -noout -serial").Trim();
        var structure = OpenSsl.Ok($"asn1parse -in \"{path}\"");

        Assert.Equal("serial=" + issued.SerialNumber, printed);
        Assert.Equal(issued.Certificate!.SerialNumber, issued.SerialNumber);
        Assert.Matches("^[0-7][0-9A-F]{31}$", issued.SerialNumber);
        Assert.NotEqual("00", issued.SerialNumber[..2]);
        // The DER INTEGER itself: 16 content octets, no 00 pad (so it is positive as written), ≤ 20 (RFC 5280 §4.1.2.2).
        Assert.Matches(@"d=2\s+hl=2 l=\s*16 prim: INTEGER\s+:" + issued.SerialNumber + "\n", structure.Replace("\r", string.Empty));
    }

    [Fact]
    public void Fifty_serial_numbers_from_one_issuer_are_distinct()
    {
        // RSA, whose issuing is the quickest here (the core reloads the CA key each time, and RSA loads fastest).
        var h = _hierarchies["RSA_2048"];
        var serials = Enumerable.Range(0, 50).Select(i => h.Issue($"host{i}.example.com")).Select(c => c.Certificate!.SerialNumber).ToList();

        Assert.Equal(50, serials.Distinct(StringComparer.Ordinal).Count());
        Assert.All(serials, s => Assert.Equal(32, s.Length));
    }

    [Fact]
    public void Validity_openssl_reads_is_the_certificate_objects_not_before_and_not_after()
    {
        var h = _hierarchies["ECC_256"];
        var notBefore = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2).AddHours(7).AddMinutes(8).AddSeconds(9), TimeSpan.Zero);
        var notAfter = notBefore.AddDays(90).AddSeconds(1);
        var explicitDates = h.Issue("www.example.com", options: r => { r.NotBefore = notBefore; r.NotAfter = notAfter; });
        var byDays = h.Issue("www.example.com", options: r => r.Days = 30);

        Assert.Equal((notBefore, notAfter), (explicitDates.NotBefore, explicitDates.NotAfter));
        Assert.Equal(byDays.NotBefore.AddDays(30), byDays.NotAfter);
        foreach (var issued in new[] { explicitDates, byDays })
        {
            var printed = OpenSsl.Ok($"x509 -in \"{h.Write(issued)}\" -noout -dateopt iso_8601 -startdate -enddate");
            Assert.Contains("notBefore=" + Iso(issued.NotBefore), printed);
            Assert.Contains("notAfter=" + Iso(issued.NotAfter), printed);
            Assert.Equal(issued.NotBefore.UtcDateTime, issued.Certificate!.NotBefore.ToUniversalTime());
            Assert.Equal(issued.NotAfter.UtcDateTime, issued.Certificate.NotAfter.ToUniversalTime());
        }
    }

    public static TheoryData<string, string, string> Subjects => new()
    {
        // Nothing but a CN in the CSR: the rest comes from the issuer (Sub: O=Example Org, OU=Ops, C=US, ST=Zhejiang, L=Hangzhou).
        { "cn-only", "none", "CN=www.example.com,OU=Ops,O=Example Org,L=Hangzhou,ST=Zhejiang,C=US" },
        // The CSR's own subject wins over the issuer's.
        { "full", "none", "CN=www.example.com,OU=Web,O=Contoso\\, Ltd,L=Berlin,ST=Berlin,C=DE" },
        // Each part falls back on its own: the CSR's O, the issuer's OU, C, ST, L.
        { "o-only", "none", "CN=www.example.com,OU=Ops,O=Contoso\\, Ltd,L=Hangzhou,ST=Zhejiang,C=US" },
        // Explicit parameters win over both.
        { "full", "all", "CN=shop.example.com,OU=Sales,O=Explicit Org,L=Paris,ST=Ile-de-France,C=FR" },
        { "cn-only", "organization", "CN=www.example.com,OU=Ops,O=Explicit Org,L=Hangzhou,ST=Zhejiang,C=US" },
        { "full", "organization", "CN=www.example.com,OU=Web,O=Explicit Org,L=Berlin,ST=Berlin,C=DE" },
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public void Subject_takes_explicit_values_then_the_csrs_then_the_issuers(string csrSubject, string overrides, string expected)
    {
        var h = _hierarchies["RSA_2048"];
        var subject = csrSubject switch
        {
            "full" => SubjectName.Create("www.example.com", "DE", "Berlin", "Berlin", "Contoso, Ltd", "Web"),
            "o-only" => SubjectName.Create("www.example.com", organization: "Contoso, Ltd"),
            _ => SubjectName.Create("www.example.com"),
        };
        var issued = h.IssueWithSubject(subject, r =>
        {
            if (overrides == "none") return;
            r.Organization = "Explicit Org";
            if (overrides != "all") return;
            (r.CommonName, r.OrganizationalUnit, r.Country, r.State, r.Locality) = ("shop.example.com", "Sales", "FR", "Ile-de-France", "Paris");
        });

        var printed = OpenSsl.Ok($"x509 -in \"{h.Write(issued)}\" -noout -subject -nameopt RFC2253").Trim();

        Assert.Equal("subject=" + expected, printed);
        Assert.Equal("issuer=CN=Test Sub CA,OU=Ops,O=Example Org,L=Hangzhou,ST=Zhejiang,C=US",
            OpenSsl.Ok($"x509 -in \"{h.Write(issued)}\" -noout -issuer -nameopt RFC2253").Trim());
    }

    /// <summary>A sub CA constrained to example.com (not bad.example.com), subdomains of example.net, 10/8 and fd00::/8.</summary>
    private static InteropHierarchy Constrained() => new("ECC_256", s =>
    {
        s.PermittedDnsDomains = new[] { "example.com", ".example.net" };
        s.ExcludedDnsDomains = new[] { "bad.example.com" };
        s.PermittedIpRanges = new[] { "10.0.0.0/8", "fd00::/8" };
    });

    /// <summary>A server certificate the sub CA signs without the core's name-constraint check, to see what openssl makes of it.</summary>
    private static string Forge(InteropHierarchy h, string commonName, string name)
    {
        var cas = Services.Cas(h.Hierarchy.Open());
        var sub = cas.Load(new CaIdentity("Sub"));
        using var subKey = cas.Keys.Open(sub, null);
        using var leafKey = TestKeys.For(h.Spec);
        var der = CertificateBuilder.Issued(CertificateProfiles.Server,
            SubjectName.Create(commonName).ToX509Name(),
            PublicKeyInfo.FromSubjectPublicKeyInfo(leafKey.ExportSubjectPublicKeyInfo(), "leaf"),
            new[] { NameRules.Parse(commonName), NameRules.Parse(name) },
            new CertificateBuilder.Issuer(sub.Certificate.Subject, sub.SubjectPublicKeyInfo, subKey),
            SerialNumber.Generate(),
            ValidityPeriod.ForIssued(30, null, null, null, null, TimeSpan.FromDays(365), DateTimeOffset.UtcNow, sub.NotBefore, sub.NotAfter),
            null);
        return h.File("forged-" + Guid.NewGuid().ToString("N") + ".pem", Pem.Encode(Pem.CertificateLabel, der));
    }

    /// <summary>RFC 5280 §4.2.1.2 method 1 computed by .NET: SHA-1 of the subjectPublicKey bits.</summary>
    private static string KeyIdOf(X509Certificate2 certificate) => KeyId(SHA1.HashData(certificate.PublicKey.EncodedKeyValue.RawData));

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
