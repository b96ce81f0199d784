using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// The signature algorithms a request may be signed with: SHA-256, SHA-384 or SHA-512 with RSA (PKCS#1 v1.5 or PSS),
    /// ECDSA or DSA; SM2 with SM3; Ed25519 and Ed448. Anything else, MD5 and SHA-1 first, is refused before the signature
    /// is checked (CsrSignatureAlgorithmNotAllowed): a collision of MD5 or SHA-1 lets someone make a second request with
    /// the same signature, so such a signature proves nothing about who asked.
    /// </summary>
    internal static class CsrSignatureAlgorithms
    {
        private static readonly HashSet<DerObjectIdentifier> Allowed = new HashSet<DerObjectIdentifier>
        {
            PkcsObjectIdentifiers.Sha256WithRsaEncryption, PkcsObjectIdentifiers.Sha384WithRsaEncryption, PkcsObjectIdentifiers.Sha512WithRsaEncryption,
            X9ObjectIdentifiers.ECDsaWithSha256, X9ObjectIdentifiers.ECDsaWithSha384, X9ObjectIdentifiers.ECDsaWithSha512,
            NistObjectIdentifiers.DsaWithSha256, NistObjectIdentifiers.DsaWithSha384, NistObjectIdentifiers.DsaWithSha512,
            GMObjectIdentifiers.sm2sign_with_sm3, EdECObjectIdentifiers.id_Ed25519, EdECObjectIdentifiers.id_Ed448,
        };

        /// <summary>The hashes RSASSA-PSS may use for the message.</summary>
        private static readonly HashSet<DerObjectIdentifier> PssHashes = new HashSet<DerObjectIdentifier>
        {
            NistObjectIdentifiers.IdSha256, NistObjectIdentifiers.IdSha384, NistObjectIdentifiers.IdSha512,
        };

        /// <summary>
        /// The hashes MGF1 may use: those, and SHA-1, which OpenSSL 3.0 writes by default even with SHA-256 for the message.
        /// A mask generation function needs no collision resistance, so SHA-1 is not broken there.
        /// </summary>
        private static readonly HashSet<DerObjectIdentifier> MaskHashes = new HashSet<DerObjectIdentifier>(PssHashes)
        {
            Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1,
        };

        private static readonly Dictionary<string, string> Names = new Dictionary<string, string>
        {
            ["1.2.840.113549.1.1.2"] = "MD2 with RSA",
            ["1.2.840.113549.1.1.3"] = "MD4 with RSA",
            ["1.2.840.113549.1.1.4"] = "MD5 with RSA",
            ["1.2.840.113549.1.1.5"] = "SHA-1 with RSA",
            ["1.2.840.113549.1.1.14"] = "SHA-224 with RSA",
            ["1.2.840.10045.4.1"] = "ECDSA with SHA-1",
            ["1.2.840.10045.4.3.1"] = "ECDSA with SHA-224",
            ["1.2.840.10040.4.3"] = "DSA with SHA-1",
        };

        /// <summary>CsrSignatureAlgorithmNotAllowed, naming <paramref name="source"/>, unless <paramref name="algorithm"/> is allowed.</summary>
        public static void Require(AlgorithmIdentifier algorithm, string source)
        {
            var oid = algorithm.Algorithm;
            if (Allowed.Contains(oid)) return;
            string name;
            if (oid.Equals(PkcsObjectIdentifiers.IdRsassaPss))
            {
                var (hash, maskHash) = PssHashesOf(algorithm.Parameters);
                if (hash != null && maskHash != null && PssHashes.Contains(hash) && MaskHashes.Contains(maskHash)) return;
                name = "RSASSA-PSS with " + (hash == null ? Messages.ReasonParametersUnreadable : HashName(hash) + (maskHash == null ? string.Empty : ", MGF1 with " + HashName(maskHash)));
            }
            else
            {
                name = Names.TryGetValue(oid.Id, out var known) ? known : oid.Id;
            }
            throw new PkiException(ErrorIds.CsrSignatureAlgorithmNotAllowed, PkiErrorKind.SecurityError, source,
                Messages.CsrSignatureAlgorithmNotAllowed.Format(source, name));
        }

        /// <summary>The message hash and the MGF1 hash of RSASSA-PSS parameters (SHA-1 when absent, as RFC 4055 has it); nulls when they do not parse.</summary>
        private static (DerObjectIdentifier? Hash, DerObjectIdentifier? MaskHash) PssHashesOf(Asn1Encodable? parameters)
        {
            try
            {
                var pss = RsassaPssParameters.GetInstance(parameters ?? DerSequence.Empty);
                var mask = pss.MaskGenAlgorithm;
                var maskHash = mask.Algorithm.Equals(PkcsObjectIdentifiers.IdMgf1) ? AlgorithmIdentifier.GetInstance(mask.Parameters).Algorithm : null;
                return (pss.HashAlgorithm.Algorithm, maskHash);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                return (null, null);
            }
        }

        private static string HashName(DerObjectIdentifier hash) =>
            hash.Equals(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1) ? "SHA-1"
            : hash.Equals(NistObjectIdentifiers.IdSha224) ? "SHA-224"
            : hash.Equals(NistObjectIdentifiers.IdSha256) ? "SHA-256"
            : hash.Equals(NistObjectIdentifiers.IdSha384) ? "SHA-384"
            : hash.Equals(NistObjectIdentifiers.IdSha512) ? "SHA-512"
            : hash.Equals(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.MD5) ? "MD5"
            : hash.Id;
    }
}
