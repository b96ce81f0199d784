using System.Diagnostics;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace PkiCmdlets.Core.Tests.Keys;

/// <summary>
/// Iteration counts a file chooses (issue 16, item 6): a 975-byte PFX asking for 2^31 - 1 MAC iterations kept a processor
/// busy for minutes, and a count of 2^32 + 1 was read as 1. Counts from 1 to 10,000,000 are taken, each and all of a file
/// together; anything else is IterationCountOutOfRange before any work is done.
/// </summary>
public sealed class IterationCountTests : IDisposable
{
    private static readonly KeySpec P256 = KeySpec.Ecc(256);

    private readonly Hierarchy _hierarchy = new("ECC_256");
    private readonly TempStore _target = new();

    public void Dispose()
    {
        _hierarchy.Dispose();
        _target.Dispose();
    }

    public static TheoryData<string> OutOfRange() => new() { "0", "-1", "10000001", "2147483647", "4294967297", "18446744073709551616" };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_pkcs8_key_asking_for_pbkdf2_iterations_out_of_range_is_IterationCountOutOfRange(string count)
    {
        var file = Pem.Encode(Pem.EncryptedPrivateKeyLabel, EncryptedKeyWithCount(new BigInteger(count)));
        var error = Refused(() => KeyFile.Read(file, Services.Password("pw"), "ca.key").Dispose(), ErrorIds.IterationCountOutOfRange);
        Assert.Equal("ca.key", error.Target);
        Assert.Contains(new BigInteger(count).BitLength > 64 ? "65-bit number" : count, error.Message);
    }

    [Fact]
    public void A_pkcs8_key_with_one_iteration_is_read()
    {
        var file = Pem.Encode(Pem.EncryptedPrivateKeyLabel, EncryptedKeyWithCount(BigInteger.One));
        using var key = KeyFile.Read(file, Services.Password("pw"), "ca.key");
        Assert.Equal("ECC_256", key.Spec.AlgorithmName);
    }

    [Fact]
    public void A_pbes2_iv_given_as_an_integer_is_KeyUnreadable_saying_so()
    {
        var info = EncryptedPrivateKeyInfo.GetInstance(EncryptedKeyWithCount(BigInteger.ValueOf(1000)));
        var pbes2 = PbeS2Parameters.GetInstance(info.EncryptionAlgorithm.Parameters);
        var scheme = new DerSequence(pbes2.EncryptionScheme.Algorithm, DerInteger.ValueOf(12345));
        var changed = new DerSequence(new DerSequence(PkcsObjectIdentifiers.IdPbeS2, new DerSequence(pbes2.KeyDerivationFunc, scheme)), new DerOctetString(info.GetEncryptedData()));
        var error = Refused(() => KeyFile.Read(Pem.Encode(Pem.EncryptedPrivateKeyLabel, changed.GetEncoded()), Services.Password("pw"), "ca.key").Dispose(), ErrorIds.KeyUnreadable);
        Assert.Contains("initialization vector", error.Message);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_pfx_asking_for_mac_iterations_out_of_range_is_IterationCountOutOfRange(string count)
    {
        var pfx = Pfx.GetInstance(RootPfx(PfxEncryption.Aes256Sha256));
        var mac = new DerSequence(pfx.MacData.Mac, new DerOctetString(pfx.MacData.GetSalt()), new DerInteger(new BigInteger(count)));
        var changed = new DerSequence(DerInteger.ValueOf(3), pfx.AuthSafe, mac).GetEncoded();
        Assert.Contains("MAC", ImportRefused(changed, ErrorIds.IterationCountOutOfRange).Message);
    }

    [Theory]
    [InlineData(PfxEncryption.Aes256Sha256, "2147483647")]
    [InlineData(PfxEncryption.Aes256Sha256, "4294967297")]
    [InlineData(PfxEncryption.TripleDesSha1, "2147483647")]
    [InlineData(PfxEncryption.TripleDesSha1, "0")]
    public void A_pfx_whose_encryption_asks_for_iterations_out_of_range_is_IterationCountOutOfRange(PfxEncryption encryption, string count)
    {
        ImportRefused(WithoutMac(RootPfx(encryption), new BigInteger(count)), ErrorIds.IterationCountOutOfRange);
    }

    [Fact]
    public void A_pfx_whose_counts_add_up_to_more_than_the_limit_is_refused_before_any_work()
    {
        ImportRefused(WithoutMac(RootPfx(PfxEncryption.Aes256Sha256), BigInteger.ValueOf(6_000_000)), ErrorIds.IterationCountOutOfRange);
    }

    [Theory]
    [InlineData(PfxEncryption.Aes256Sha256)]
    [InlineData(PfxEncryption.TripleDesSha1)]
    public void Pfx_files_within_the_limits_are_imported(PfxEncryption encryption)
    {
        var path = Path.Combine(_hierarchy.Store.Folder, "root.pfx");
        File.WriteAllBytes(path, RootPfx(encryption));
        Assert.True(new CaImportService(_target.Open()).Import(new ImportCaRequest { PfxPath = path, KeyFilePassword = Services.Password("pfx"), NoPassword = true }).IsRoot);
        File.WriteAllBytes(path, WithoutMac(RootPfx(encryption), null));
        Assert.Equal(ErrorIds.CaAlreadyInStore, Assert.Throws<PkiException>(() =>
            new CaImportService(_target.Open()).Import(new ImportCaRequest { PfxPath = path, KeyFilePassword = Services.Password("pfx"), NoPassword = true })).ErrorId);
    }

    /// <summary>A P-256 test key encrypted with PBES2 whose PBKDF2 iteration count is <paramref name="count"/>; the password is "pw".</summary>
    private static byte[] EncryptedKeyWithCount(BigInteger count)
    {
        using var key = TestKeys.For(P256);
        var info = EncryptedPrivateKeyInfo.GetInstance(KeyProtection.Encrypt(key.ExportPkcs8(), Services.Password("pw"), count.Equals(BigInteger.One) ? 1 : 1000));
        var pbes2 = PbeS2Parameters.GetInstance(info.EncryptionAlgorithm.Parameters);
        return new DerSequence(new DerSequence(PkcsObjectIdentifiers.IdPbeS2, new DerSequence(Kdf(pbes2.KeyDerivationFunc, count), pbes2.EncryptionScheme)),
            new DerOctetString(info.GetEncryptedData())).GetEncoded();
    }

    private static Asn1Encodable Kdf(Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier kdf, BigInteger count)
    {
        var parameters = Pbkdf2Params.GetInstance(kdf.Parameters);
        return new DerSequence(PkcsObjectIdentifiers.IdPbkdf2, new DerSequence(new DerOctetString(parameters.GetSalt()), new DerInteger(count), parameters.Prf));
    }

    /// <summary>The test root's certificate and key as a PFX protected by "pfx".</summary>
    private byte[] RootPfx(PfxEncryption encryption)
    {
        using var key = TestKeys.For(P256, "root");
        return Pkcs12Writer.Write(new[] { _hierarchy.Root.Certificate!.RawData }, key.ExportPkcs8(), Services.Password("pfx"), encryption);
    }

    /// <summary>The PFX without its MAC, every encryption in it asking for <paramref name="count"/> iterations (null: as many as before).</summary>
    private static byte[] WithoutMac(byte[] pfxBytes, BigInteger? count)
    {
        var pfx = Pfx.GetInstance(pfxBytes);
        var parts = AuthenticatedSafe.GetInstance(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets()).GetContentInfo().Select(info =>
        {
            if (info.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData))
            {
                var data = EncryptedData.GetInstance(info.Content);
                var changed = new DerSequence(DerInteger.Zero, new DerSequence(PkcsObjectIdentifiers.Data, Algorithm(data.EncryptionAlgorithm, count), new DerTaggedObject(false, 0, data.Content)));
                return (Asn1Encodable)new ContentInfo(PkcsObjectIdentifiers.EncryptedData, changed);
            }
            var bags = Asn1Sequence.GetInstance(Asn1OctetString.GetInstance(info.Content).GetOctets()).Cast<Asn1Encodable>().Select(element =>
            {
                var bag = SafeBag.GetInstance(element);
                if (!bag.BagID.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag)) return element;
                var key = EncryptedPrivateKeyInfo.GetInstance(bag.BagValue);
                var changedKey = new DerSequence(Algorithm(key.EncryptionAlgorithm, count), new DerOctetString(key.GetEncryptedData()));
                return new SafeBag(bag.BagID, changedKey, bag.BagAttributes);
            }).ToArray();
            return new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(bags).GetEncoded()));
        }).ToArray();
        var authSafe = new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(parts).GetEncoded()));
        return new DerSequence(DerInteger.ValueOf(3), authSafe).GetEncoded();
    }

    private static Asn1Encodable Algorithm(Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier algorithm, BigInteger? count)
    {
        if (count == null) return algorithm;
        if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
        {
            var pbes2 = PbeS2Parameters.GetInstance(algorithm.Parameters);
            return new DerSequence(PkcsObjectIdentifiers.IdPbeS2, new DerSequence(Kdf(pbes2.KeyDerivationFunc, count), pbes2.EncryptionScheme));
        }
        var pbe = Pkcs12PbeParams.GetInstance(algorithm.Parameters);
        return new DerSequence(algorithm.Algorithm, new DerSequence(new DerOctetString(pbe.GetIV()), new DerInteger(count)));
    }

    private PkiException ImportRefused(byte[] pfx, string errorId)
    {
        var path = Path.Combine(_hierarchy.Store.Folder, "hostile.pfx");
        File.WriteAllBytes(path, pfx);
        var before = _target.Snapshot();
        var error = Refused(() => new CaImportService(_target.Open()).Import(new ImportCaRequest { PfxPath = path, KeyFilePassword = Services.Password("pfx"), NoPassword = true }), errorId);
        Assert.Equal(path, error.Target);
        Assert.Equal(before, _target.Snapshot());
        return error;
    }

    /// <summary>Requires <paramref name="errorId"/> within a second: refused before any of the work the count asks for.</summary>
    private static PkiException Refused(Action read, string errorId)
    {
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<PkiException>(read);
        Assert.True(errorId == error.ErrorId, "expected " + errorId + ", got " + error.ErrorId + ": " + error.Message);
        Assert.True(clock.ElapsedMilliseconds < 1000, "took " + clock.ElapsedMilliseconds + " ms");
        return error;
    }
}
