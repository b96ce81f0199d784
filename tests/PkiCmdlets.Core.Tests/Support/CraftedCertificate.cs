using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// Self-signed CA certificates put together byte by byte and signed for real, so that Import-CA can be given what no tool
/// would write: dates that are not dates or run backwards, extensions that are not what their identifier says.
/// </summary>
public static class CraftedCertificate
{
    /// <summary>
    /// A self-signed certificate for CN=<paramref name="commonName"/> with the cached <paramref name="key"/>, valid between the
    /// encoded times, with the extensions given as DER (see <see cref="Extension"/>).
    /// </summary>
    public static byte[] SelfSigned(PrivateKey key, string commonName, byte[] notBefore, byte[] notAfter, params byte[][] extensions) =>
        SelfSigned(key, commonName, notBefore, notAfter, key.ExportSubjectPublicKeyInfo(), extensions);

    /// <summary>As the other overload, for the public key <paramref name="spki"/>: signed with <paramref name="key"/> all the same.</summary>
    public static byte[] SelfSigned(PrivateKey key, string commonName, byte[] notBefore, byte[] notAfter, byte[] spki, params byte[][] extensions)
    {
        var name = new X509Name("CN=" + commonName).GetDerEncoded();
        var algorithm = key.SignatureAlgorithm;
        var tbs = Tlv(0x30,
            Tlv(0xA0, DerInteger.ValueOf(2).GetDerEncoded()),
            DerInteger.ValueOf(0x1234567).GetDerEncoded(),
            algorithm,
            name,
            Tlv(0x30, notBefore, notAfter),
            name,
            spki,
            Tlv(0xA3, Tlv(0x30, extensions)));
        return Tlv(0x30, tbs, algorithm, new DerBitString(key.Sign(tbs)).GetDerEncoded());
    }

    /// <summary>A UTCTime or GeneralizedTime as written, valid or not.</summary>
    public static byte[] Time(string text) => Tlv((byte)(text.Length == 13 ? 0x17 : 0x18), Encoding.ASCII.GetBytes(text));

    /// <summary>An extension whose value is <paramref name="value"/>'s bytes as they are.</summary>
    public static byte[] Extension(DerObjectIdentifier type, bool critical, byte[] value) =>
        critical
            ? Tlv(0x30, type.GetDerEncoded(), DerBoolean.True.GetDerEncoded(), Tlv(0x04, value))
            : Tlv(0x30, type.GetDerEncoded(), Tlv(0x04, value));

    /// <summary>basicConstraints CA:TRUE, critical unless said otherwise.</summary>
    public static byte[] CaConstraints(bool critical = true) => Extension(X509Extensions.BasicConstraints, critical, new BasicConstraints(true).GetDerEncoded());

    /// <summary>keyUsage with <paramref name="usage"/>, critical.</summary>
    public static byte[] Usage(int usage) => Extension(X509Extensions.KeyUsage, true, new KeyUsage(usage).GetDerEncoded());

    /// <summary>A tag, its definite length and the contents joined.</summary>
    public static byte[] Tlv(byte tag, params byte[][] contents)
    {
        var content = contents.SelectMany(c => c).ToArray();
        var length = content.Length < 0x80 ? new[] { (byte)content.Length }
            : content.Length < 0x100 ? new byte[] { 0x81, (byte)content.Length }
            : new byte[] { 0x82, (byte)(content.Length >> 8), (byte)content.Length };
        return new[] { tag }.Concat(length).Concat(content).ToArray();
    }
}
