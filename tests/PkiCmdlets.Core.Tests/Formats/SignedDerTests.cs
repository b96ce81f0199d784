using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Tests.Formats;

public sealed class SignedDerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]   // the frame's length still fits the short form
    [InlineData(120)]   // just over it
    [InlineData(300)]   // two length bytes, as every certificate
    [InlineData(70000)] // three, as a CRL of some thousand entries
    public void The_signed_frame_is_the_der_of_the_same_sequence(int contentLength)
    {
        var toBeSigned = new DerOctetString(new byte[contentLength]).GetDerEncoded();
        var algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256);
        var signature = Enumerable.Range(0, 72).Select(i => (byte)i).ToArray();

        var expected = new DerSequence(Asn1Object.FromByteArray(toBeSigned), algorithm, new DerBitString(signature)).GetDerEncoded();
        Assert.Equal(expected, SignedDer.Frame(toBeSigned, algorithm, signature));
    }
}
