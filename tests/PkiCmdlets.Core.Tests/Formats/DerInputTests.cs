using System.Diagnostics;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Formats;

/// <summary>
/// The limits every ASN.1 input meets before BouncyCastle parses it (issue 16, item 1): 40,000 nested SEQUENCEs ended the
/// process with a stack overflow that nothing can catch. These tests call only the walk itself with deep input; the
/// parsers' entry points get the same files in a child process (HostileInputTests), so a regression cannot end this one.
/// </summary>
public sealed class DerInputTests
{
    /// <summary><paramref name="depth"/> SEQUENCEs, each the only content of the one around it, around an INTEGER.</summary>
    internal static byte[] NestedDefinite(int depth)
    {
        var inner = new byte[] { 0x02, 0x01, 0x05 };
        var lengths = new int[depth];
        var total = inner.Length;
        for (var i = depth - 1; i >= 0; i--)
        {
            lengths[i] = total;
            total += 1 + LengthOctets(total);
        }
        var bytes = new byte[total];
        var at = 0;
        for (var i = 0; i < depth; i++)
        {
            bytes[at++] = 0x30;
            at = WriteLength(bytes, at, lengths[i]);
        }
        Buffer.BlockCopy(inner, 0, bytes, at, inner.Length);
        return bytes;
    }

    /// <summary><paramref name="depth"/> indefinite-length (BER) SEQUENCEs, each closed by its end-of-contents.</summary>
    internal static byte[] NestedIndefinite(int depth)
    {
        var bytes = new List<byte>(depth * 4 + 3);
        for (var i = 0; i < depth; i++) bytes.AddRange(new byte[] { 0x30, 0x80 });
        bytes.AddRange(new byte[] { 0x02, 0x01, 0x05 });
        for (var i = 0; i < depth; i++) bytes.AddRange(new byte[] { 0x00, 0x00 });
        return bytes.ToArray();
    }

    private static int LengthOctets(int length) => length < 0x80 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 4;

    private static int WriteLength(byte[] bytes, int at, int length)
    {
        var count = LengthOctets(length) - 1;
        if (count == 0)
        {
            bytes[at++] = (byte)length;
            return at;
        }
        bytes[at++] = (byte)(0x80 | count);
        for (var shift = (count - 1) * 8; shift >= 0; shift -= 8) bytes[at++] = (byte)(length >> shift);
        return at;
    }

    [Theory]
    [InlineData(40_000)]
    [InlineData(30_000)]
    [InlineData(65)]
    public void Nesting_deeper_than_the_limit_is_InputNestingTooDeep_in_milliseconds(int depth)
    {
        foreach (var encoding in new[] { NestedDefinite(depth), NestedIndefinite(depth) })
        {
            var clock = Stopwatch.StartNew();
            var error = Assert.Throws<PkiException>(() => DerInput.Check(encoding, "deep.der"));
            clock.Stop();
            Assert.Equal(ErrorIds.InputNestingTooDeep, error.ErrorId);
            Assert.Equal(PkiErrorKind.LimitsExceeded, error.Kind);
            Assert.Equal("deep.der", error.Target);
            Assert.True(clock.ElapsedMilliseconds < 100, "took " + clock.ElapsedMilliseconds + " ms");
        }
    }

    [Fact]
    public void Nesting_at_the_limit_passes_and_parses()
    {
        foreach (var encoding in new[] { NestedDefinite(DerInput.MaxDepth), NestedIndefinite(DerInput.MaxDepth) })
        {
            Assert.NotNull(DerInput.Read(encoding, "limit.der"));
        }
    }

    /// <summary>A structure that is shallow on the outside and deep inside a string a parser reads again later.</summary>
    public static TheoryData<string> HiddenDepths() => new() { "octet-string", "bit-string", "context-primitive", "constructed-octet-string", "octet-in-octet" };

    [Theory]
    [MemberData(nameof(HiddenDepths))]
    public void Nesting_inside_a_string_counts_as_nesting(string where)
    {
        var deep = NestedDefinite(5_000);
        byte[] Wrap(byte tag, byte[] content) => Concat(new[] { tag }, Length(content.Length), content);
        var encoding = where switch
        {
            "octet-string" => Wrap(0x30, Wrap(0x04, deep)),
            "bit-string" => Wrap(0x30, Wrap(0x03, Concat(new byte[] { 0 }, deep))),
            "context-primitive" => Wrap(0x30, Wrap(0x80, deep)),
            // BER: the segments of a constructed OCTET STRING are joined before the content is read.
            "constructed-octet-string" => Wrap(0x30, Wrap(0x24, Concat(Wrap(0x04, deep.Take(100).ToArray()), Wrap(0x04, deep.Skip(100).ToArray())))),
            _ => Wrap(0x30, Wrap(0x04, Wrap(0x04, deep))),
        };
        Assert.Equal(ErrorIds.InputNestingTooDeep, Assert.Throws<PkiException>(() => DerInput.Check(encoding, "hidden")).ErrorId);
    }

    [Fact]
    public void A_deep_structure_in_a_csr_extension_is_refused_by_the_walk()
    {
        var deepExtension = CraftedCsr.Extension(new DerObjectIdentifier("1.2.3.4"), NestedDefinite(DerInput.MaxDepth));
        var csr = CraftedCsr.Signed(CraftedCsr.Name("deep.example.com"), CraftedCsr.Extensions(deepExtension));
        Assert.Equal(ErrorIds.InputNestingTooDeep, Assert.Throws<PkiException>(() => DerInput.Check(csr, "-Csr")).ErrorId);
    }

    [Fact]
    public void More_than_a_mebibyte_is_InputTooLarge()
    {
        var encoding = new DerOctetString(new byte[DerInput.MaxBytes]).GetEncoded();
        var error = Assert.Throws<PkiException>(() => DerInput.Check(encoding, "big.der"));
        Assert.Equal(ErrorIds.InputTooLarge, error.ErrorId);
        Assert.Equal("big.der", error.Target);
    }

    /// <summary>What the product reads and writes every day passes: the limits must never refuse a real file.</summary>
    [Theory]
    [InlineData("RSA_4096")]
    [InlineData("ECC_521")]
    [InlineData("SM2_256")]
    public void Real_certificates_keys_requests_and_pfx_files_pass(string algorithm)
    {
        using var hierarchy = new Hierarchy(algorithm, crlUrl: "http://crl.example.com/root.crl", subOptions: s => s.PermittedDnsDomains = new[] { "example.com" });
        var spec = KeySpec.FromAlgorithmName(algorithm);
        var issued = hierarchy.Issue(Hierarchy.Csr(spec, "www.example.com", "www.example.com", "192.0.2.1"), r => r.EnableCrl = true);
        using var key = TestKeys.For(spec);
        var password = Services.Password("pw");
        var inputs = new[]
        {
            hierarchy.Root.Certificate!.RawData, hierarchy.Sub.Certificate!.RawData, issued.Certificate.RawData,
            Pem.Decode(Hierarchy.Csr(spec, "www.example.com", "www.example.com", "192.0.2.1"), Pem.CertificateRequestLabel),
            key.ExportPkcs8(), KeyProtection.Encrypt(key.ExportPkcs8(), password, 1000),
            Pkcs12Writer.Write(new[] { issued.Certificate.RawData, hierarchy.Sub.Certificate!.RawData }, key.ExportPkcs8(), password, default(PfxEncryption)),
            Pkcs12Writer.Write(new[] { issued.Certificate.RawData }, key.ExportPkcs8(), password, PfxEncryption.TripleDesSha1),
        };
        foreach (var input in inputs) DerInput.Check(input, "real");
    }

    [Fact]
    public void The_walk_is_linear_a_mebibyte_of_small_values_takes_milliseconds()
    {
        var values = Enumerable.Range(0, 100_000).Select(i => (Asn1Encodable)new DerOctetString(new byte[] { 0x30, 0x03, 0x02, 0x01, (byte)i })).ToArray();
        var encoding = new DerSequence(values).GetEncoded();
        Assert.True(encoding.Length < DerInput.MaxBytes);
        var clock = Stopwatch.StartNew();
        DerInput.Check(encoding, "wide");
        Assert.True(clock.ElapsedMilliseconds < 500, "took " + clock.ElapsedMilliseconds + " ms");
    }

    private static byte[] Length(int length)
    {
        var bytes = new byte[LengthOctets(length)];
        WriteLength(bytes, 0, length);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
