using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// ECDSA on the NIST curves, on the platform's native provider. Each curve signs with the hash of
    /// matching strength (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512).
    /// </summary>
    internal sealed class EcdsaPrivateKey : PrivateKey
    {
        private readonly ECDsa _ecdsa;
        private readonly DerObjectIdentifier _curveOid;
        private readonly HashAlgorithmName _hash;
        private readonly byte[] _signatureAlgorithm;

        private EcdsaPrivateKey(ECDsa ecdsa, KeySpec spec)
            : base(spec)
        {
            _ecdsa = ecdsa;
            (_curveOid, _hash, var signatureOid) = spec.Size switch
            {
                256 => (SecObjectIdentifiers.SecP256r1, HashAlgorithmName.SHA256, X9ObjectIdentifiers.ECDsaWithSha256),
                384 => (SecObjectIdentifiers.SecP384r1, HashAlgorithmName.SHA384, X9ObjectIdentifiers.ECDsaWithSha384),
                _ => (SecObjectIdentifiers.SecP521r1, HashAlgorithmName.SHA512, X9ObjectIdentifiers.ECDsaWithSha512),
            };
            _signatureAlgorithm = new AlgorithmIdentifier(signatureOid).GetDerEncoded();
        }

        public override byte[] SignatureAlgorithm => _signatureAlgorithm;

        private int FieldLength => (Spec.Size + 7) / 8;

        public static EcdsaPrivateKey Create(KeySpec spec)
        {
            var ecdsa = ECDsa.Create(NamedCurve(spec.Size));
            return new EcdsaPrivateKey(ecdsa, spec);
        }

        /// <param name="curveOid">The named curve.</param>
        /// <param name="d">The private scalar.</param>
        /// <param name="source">Names the key in errors.</param>
        /// <param name="q">
        /// The public point when the key file carries it (RFC 5915's optional publicKey), which spares a scalar
        /// multiplication in managed code: tens of milliseconds on every use of a CA key. The platform checks
        /// that it belongs to <paramref name="d"/> when the key is imported.
        /// </param>
        public static EcdsaPrivateKey FromBouncyCastle(DerObjectIdentifier curveOid, Org.BouncyCastle.Math.BigInteger d, string source,
            Org.BouncyCastle.Math.EC.ECPoint? q = null)
        {
            int size;
            if (curveOid.Equals(SecObjectIdentifiers.SecP256r1)) size = 256;
            else if (curveOid.Equals(SecObjectIdentifiers.SecP384r1)) size = 384;
            else if (curveOid.Equals(SecObjectIdentifiers.SecP521r1)) size = 521;
            else throw Unreadable(source, new NotSupportedException(Messages.ReasonCurveUnsupported.Format(curveOid.Id)));

            var point = (q ?? SecNamedCurves.GetByOid(curveOid).G.Multiply(d)).Normalize();
            var length = (size + 7) / 8;
            var parameters = new ECParameters
            {
                Curve = NamedCurve(size),
                D = FixedLength(d, length),
                Q = new ECPoint
                {
                    X = FixedLength(point.AffineXCoord.ToBigInteger(), length),
                    Y = FixedLength(point.AffineYCoord.ToBigInteger(), length),
                },
            };
            try
            {
                return new EcdsaPrivateKey(ECDsa.Create(parameters), KeySpec.Ecc(size));
            }
            catch (CryptographicException e)
            {
                throw Unreadable(source, e); // for instance a public point that is not the private key's
            }
            finally
            {
                // The provider holds its own copy now; this one would otherwise stay in memory until it is reused.
                Array.Clear(parameters.D, 0, parameters.D.Length);
            }
        }

        /// <summary>
        /// The signature as r||s, each left-padded to the field length (IEEE P1363): the form JWS (RFC 7518
        /// §3.4) needs, and the one .NET produces.
        /// </summary>
        internal byte[] SignP1363(byte[] data) => _ecdsa.SignData(data, _hash);

        public override byte[] Sign(byte[] data)
        {
            // X.509 and PKCS#10 carry the DER SEQUENCE { r, s }.
            var raw = SignP1363(data);
            var half = raw.Length / 2;
            var r = new Org.BouncyCastle.Math.BigInteger(1, raw, 0, half);
            var s = new Org.BouncyCastle.Math.BigInteger(1, raw, half, half);
            return new DerSequence(new DerInteger(r), new DerInteger(s)).GetDerEncoded();
        }

        public override byte[] ExportSubjectPublicKeyInfo() => EcEncoding.SubjectPublicKeyInfo(_curveOid, PublicPoint());

        public override byte[] ExportPkcs8()
        {
            var p = _ecdsa.ExportParameters(true);
            return EcEncoding.PrivateKeyInfo(_curveOid, Spec.Size, Unsigned(p.D), PublicPoint());
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _ecdsa.Dispose();
        }

        private Org.BouncyCastle.Math.EC.ECPoint PublicPoint()
        {
            var p = _ecdsa.ExportParameters(false);
            return SecNamedCurves.GetByOid(_curveOid).Curve.CreatePoint(Unsigned(p.Q.X), Unsigned(p.Q.Y));
        }

        internal static ECCurve NamedCurve(int size) => size switch
        {
            256 => ECCurve.NamedCurves.nistP256,
            384 => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
    }
}
