using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// PKCS#10 requests put together field by field and signed for real, so that a test can give the parser content no
/// well-behaved tool would write (a subject attribute that is an INTEGER, two subjectAltName extensions, an IP address of
/// five octets) behind a signature that holds.
/// </summary>
public static class CraftedCsr
{
    /// <summary>A subject of attributes in order, each its own RDN.</summary>
    public static Asn1Encodable Name(params (DerObjectIdentifier Type, Asn1Encodable Value)[] attributes) =>
        new DerSequence(attributes.Select(a => (Asn1Encodable)new DerSet(new DerSequence(a.Type, a.Value))).ToArray());

    /// <summary>CN=<paramref name="commonName"/> as a UTF8String.</summary>
    public static Asn1Encodable Name(string commonName) => Name((X509Name.CN, new DerUtf8String(commonName)));

    /// <summary>The attributes field with one extensionRequest whose value is <paramref name="value"/> (normally a SEQUENCE of extensions).</summary>
    public static Asn1Set ExtensionRequest(Asn1Encodable value) =>
        new DerSet(new DerSequence(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(value)));

    /// <summary>The attributes field with one extensionRequest holding <paramref name="extensions"/>.</summary>
    public static Asn1Set Extensions(params Asn1Encodable[] extensions) => ExtensionRequest(new DerSequence(extensions));

    /// <summary>An extension whose value is the DER of <paramref name="value"/>.</summary>
    public static Asn1Encodable Extension(DerObjectIdentifier type, Asn1Encodable value, bool critical = false) =>
        critical ? new DerSequence(type, DerBoolean.True, new DerOctetString(value)) : new DerSequence(type, new DerOctetString(value));

    /// <summary>An extension whose value is <paramref name="value"/>'s bytes as they are, parsed by nothing on the way.</summary>
    public static Asn1Encodable Extension(DerObjectIdentifier type, byte[] value) => new DerSequence(type, new DerOctetString(value));

    /// <summary>A subjectAltName extension of <paramref name="names"/>.</summary>
    public static Asn1Encodable SubjectAltName(params GeneralName[] names) => Extension(X509Extensions.SubjectAlternativeName, new GeneralNames(names));

    /// <summary>
    /// The DER request: version 0, <paramref name="subject"/>, the key's SubjectPublicKeyInfo (or <paramref name="spki"/>),
    /// <paramref name="attributes"/>, signed with <paramref name="key"/> (the cached P-256 test key by default).
    /// </summary>
    public static byte[] Signed(Asn1Encodable subject, Asn1Set? attributes = null, PrivateKey? key = null, byte[]? spki = null)
    {
        using var signer = key == null ? TestKeys.For(KeySpec.Ecc(256)) : null;
        var signing = key ?? signer!;
        var info = Info(subject, spki ?? signing.ExportSubjectPublicKeyInfo(), attributes);
        return Request(info, Asn1Object.FromByteArray(signing.SignatureAlgorithm), new DerBitString(signing.Sign(info)));
    }

    /// <summary>The DER CertificationRequestInfo.</summary>
    public static byte[] Info(Asn1Encodable subject, byte[] spki, Asn1Set? attributes) =>
        new DerSequence(DerInteger.Zero, subject, Asn1Object.FromByteArray(spki), new DerTaggedObject(false, 0, attributes ?? new DerSet())).GetDerEncoded();

    /// <summary>A request of <paramref name="info"/>, signature algorithm and signature, as they are given.</summary>
    public static byte[] Request(byte[] info, Asn1Encodable signatureAlgorithm, DerBitString signature) =>
        new DerSequence(Asn1Object.FromByteArray(info), signatureAlgorithm, signature).GetDerEncoded();

    /// <summary>
    /// A request for an RSA key whose public exponent is 1 with the modulus of the cached RSA test key: with that exponent
    /// the PKCS#1 v1.5 encoded message is its own signature, so anyone can make one that verifies.
    /// </summary>
    public static byte[] WithRsaExponentOne(string commonName)
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        var modulus = RsaPublicKeyStructure.GetInstance(SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo()).ParsePublicKey()).Modulus;
        var spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
            new RsaPublicKeyStructure(modulus, Org.BouncyCastle.Math.BigInteger.One)).GetDerEncoded();
        var info = Info(Name(commonName), spki, Extensions(SubjectAltName(new GeneralName(GeneralName.DnsName, commonName))));
        var digestInfo = new DigestInfo(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256, DerNull.Instance), SHA256.HashData(info)).GetDerEncoded();
        var encoded = new byte[256];
        encoded[1] = 0x01;
        for (var i = 2; i < 256 - digestInfo.Length - 1; i++) encoded[i] = 0xFF;
        Buffer.BlockCopy(digestInfo, 0, encoded, 256 - digestInfo.Length, digestInfo.Length);
        return Request(info, new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance), new DerBitString(encoded));
    }
}
