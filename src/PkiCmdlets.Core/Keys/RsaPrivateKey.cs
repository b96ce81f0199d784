using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>RSA on the platform's native provider; signatures are SHA-256 with PKCS#1 v1.5.</summary>
    internal sealed class RsaPrivateKey : PrivateKey
    {
        private static readonly byte[] Sha256WithRsa =
            new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance).GetDerEncoded();

        private readonly RSA _rsa;

        private RsaPrivateKey(RSA rsa, KeySpec spec)
            : base(spec)
        {
            _rsa = rsa;
        }

        public override byte[] SignatureAlgorithm => Sha256WithRsa;

        public static RsaPrivateKey Create(KeySpec spec)
        {
            var rsa = NewRsa();
            rsa.KeySize = spec.Size;
            // Exporting forces generation now, so the caller's progress message covers the slow part.
            rsa.ExportParameters(false);
            return new RsaPrivateKey(rsa, spec);
        }

        /// <summary>
        /// PKCS#1's RSAPrivateKey (from a PKCS#8 file), without BouncyCastle's key object: its constructor spends about
        /// 250 us on a gcd in managed code, and the platform checks the whole key when it imports it anyway.
        /// </summary>
        public static RsaPrivateKey FromStructure(RsaPrivateKeyStructure key) =>
            Import(key.Modulus, key.PublicExponent, key.PrivateExponent, key.Prime1, key.Prime2, key.Exponent1, key.Exponent2, key.Coefficient);

        private static RsaPrivateKey Import(BigInteger modulus, BigInteger publicExponent, BigInteger privateExponent,
            BigInteger p, BigInteger q, BigInteger dp, BigInteger dq, BigInteger qInv)
        {
            var modulusLength = (modulus.BitLength + 7) / 8;
            var half = (modulusLength + 1) / 2;
            var parameters = new RSAParameters
            {
                Modulus = FixedLength(modulus, modulusLength),
                Exponent = publicExponent.ToByteArrayUnsigned(),
                D = FixedLength(privateExponent, modulusLength),
                P = FixedLength(p, half),
                Q = FixedLength(q, half),
                DP = FixedLength(dp, half),
                DQ = FixedLength(dq, half),
                InverseQ = FixedLength(qInv, half),
            };
            try
            {
                var rsa = NewRsa();
                rsa.ImportParameters(parameters);
                return new RsaPrivateKey(rsa, KeySpec.Rsa(modulus.BitLength));
            }
            finally
            {
                // The provider holds its own copy now; this one would otherwise stay in memory until it is reused.
                foreach (var secret in new[] { parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ })
                {
                    Array.Clear(secret, 0, secret.Length);
                }
            }
        }

        /// <summary>
        /// An RSA object of the platform's modern provider, for a key to generate (set KeySize) or to import.
        /// Windows PowerShell 5.1 runs on .NET Framework, where RSA.Create() is the legacy CryptoAPI
        /// provider: its KeySize setter does not change the key it generates, and SHA-256 signing depends
        /// on its provider type. CNG has neither problem; netstandard2.0 does not expose it, so it is
        /// found by name. Everywhere else RSA.Create() is already the platform's modern provider.
        /// </summary>
        internal static RSA NewRsa()
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                var cng = Type.GetType("System.Security.Cryptography.RSACng, System.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089", throwOnError: false);
                if (cng != null)
                {
                    return (RSA)Activator.CreateInstance(cng);
                }
            }
            return RSA.Create();
        }

        public override byte[] Sign(byte[] data) =>
            _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        /// <summary>
        /// Encoded directly, not through BouncyCastle's RsaKeyParameters, whose constructor tests the modulus with modular
        /// exponentiations in managed code: tens of milliseconds on every use of a CA key, for a key the provider holds.
        /// </summary>
        public override byte[] ExportSubjectPublicKeyInfo()
        {
            var p = _rsa.ExportParameters(false);
            var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance);
            return new SubjectPublicKeyInfo(algorithm, new RsaPublicKeyStructure(Unsigned(p.Modulus), Unsigned(p.Exponent))).GetDerEncoded();
        }

        public override byte[] ExportPkcs8()
        {
            var p = _rsa.ExportParameters(true);
            var key = new RsaPrivateCrtKeyParameters(
                Unsigned(p.Modulus), Unsigned(p.Exponent), Unsigned(p.D), Unsigned(p.P), Unsigned(p.Q),
                Unsigned(p.DP), Unsigned(p.DQ), Unsigned(p.InverseQ));
            return PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _rsa.Dispose();
        }
    }
}
