using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Security;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// SM2 (GM/T 0003) on curve sm2p256v1, signing SM3withSM2 with the standard's default
    /// distinguishing identifier. No platform provider offers SM2, so this one is BouncyCastle's.
    /// </summary>
    internal sealed class Sm2PrivateKey : PrivateKey
    {
        /// <summary>GM/T 0009's default user id, also what OpenSSL needs to verify (see the interop tests).</summary>
        public static readonly byte[] DefaultUserId = Encoding.ASCII.GetBytes("1234567812345678");

        public static readonly DerObjectIdentifier CurveOid = GMObjectIdentifiers.sm2p256v1;

        private static readonly byte[] Sm3WithSm2 = new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3).GetDerEncoded();

        /// <summary>
        /// The curve with BouncyCastle's arithmetic written for it (CustomNamedCurves, as its key factories use),
        /// which signs several times faster than the generic form GMNamedCurves gives.
        /// </summary>
        private static readonly ECNamedDomainParameters Domain =
            new ECNamedDomainParameters(CurveOid, CustomNamedCurves.GetByOid(CurveOid));

        /// <summary>One generator for every key and thread: BouncyCastle's digest-based generator locks around its state.</summary>
        private static readonly SecureRandom Random = new SecureRandom();

        private readonly ECPrivateKeyParameters _private;
        private readonly ECPublicKeyParameters _public;

        private Sm2PrivateKey(ECPrivateKeyParameters privateKey)
            : base(KeySpec.Sm2())
        {
            _private = privateKey;
            // The base point's fixed-point multiplier, as key generation and SM2Signer use: faster than Multiply's default.
            _public = new ECPublicKeyParameters("EC", new FixedPointCombMultiplier().Multiply(Domain.G, privateKey.D).Normalize(), Domain);
        }

        public override byte[] SignatureAlgorithm => Sm3WithSm2;

        public static Sm2PrivateKey Create()
        {
            var generator = new ECKeyPairGenerator("EC");
            generator.Init(new ECKeyGenerationParameters(Domain, Random));
            return new Sm2PrivateKey((ECPrivateKeyParameters)generator.GenerateKeyPair().Private);
        }

        public static Sm2PrivateKey FromScalar(Org.BouncyCastle.Math.BigInteger d) =>
            new Sm2PrivateKey(new ECPrivateKeyParameters("EC", d, Domain));

        public override byte[] Sign(byte[] data)
        {
            var signer = new SM2Signer();
            signer.Init(true, new ParametersWithID(new ParametersWithRandom(_private, Random), DefaultUserId));
            signer.BlockUpdate(data, 0, data.Length);
            return signer.GenerateSignature();
        }

        public override byte[] ExportSubjectPublicKeyInfo() => EcEncoding.SubjectPublicKeyInfo(CurveOid, _public.Q);

        public override byte[] ExportPkcs8() => EcEncoding.PrivateKeyInfo(CurveOid, 256, _private.D, _public.Q);
    }
}
