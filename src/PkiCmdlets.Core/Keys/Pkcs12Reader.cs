using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// Reads a PKCS#12 file (a PFX; RFC 7292) as OpenSSL, Windows and our <see cref="Pkcs12Writer"/> write it: checks its
    /// MAC, opens its encrypted parts (PBES2, or the PKCS#12 schemes of older tools) and finds its first private key and
    /// that key's certificate, and its other certificates. Walked here, with only the cryptography left to BouncyCastle, so that every part meets
    /// <see cref="DerInput"/>'s limits before it is parsed (what a password decrypts included), and every iteration count
    /// <see cref="KeyProtection.MaxIterations"/>, each and all of them together, before any work is done for it.
    /// </summary>
    internal sealed class Pkcs12Reader
    {
        private readonly string _source;
        private readonly Func<string, Exception?, PkiException> _unreadable;
        private long _iterations;

        private Pkcs12Reader(string source, Func<string, Exception?, PkiException> unreadable)
        {
            _source = source;
            _unreadable = unreadable;
        }

        /// <summary>
        /// The unencrypted PKCS#8 of the file's first key (the caller clears it) and the DER of its certificate: the one with
        /// the key's localKeyId, else the one with its public key; and the file's other certificates (a chain), each once, in
        /// the file's order. KeyPasswordIncorrect when the MAC does not hold;
        /// <paramref name="unreadable"/>'s error, with a reason, for anything else wrong with the file.
        /// </summary>
        public static (byte[] Pkcs8, byte[] Certificate, IReadOnlyList<byte[]> Others) Read(byte[] pfx, char[] password, string source, Func<string, Exception?, PkiException> unreadable) =>
            new Pkcs12Reader(source, unreadable).Read(pfx, password);

        private (byte[] Pkcs8, byte[] Certificate, IReadOnlyList<byte[]> Others) Read(byte[] pfx, char[] password)
        {
            var bags = new List<(SafeBag Bag, byte[]? Pkcs8)>();
            try
            {
                var file = Pfx.GetInstance(DerInput.Read(pfx, _source));
                if (!file.AuthSafe.ContentType.Equals(PkcsObjectIdentifiers.Data)) throw _unreadable(Messages.ReasonPfxNotPasswordProtected, null);
                var authenticatedSafe = Asn1OctetString.GetInstance(file.AuthSafe.Content).GetOctets();
                var parts = AuthenticatedSafe.GetInstance(DerInput.Read(authenticatedSafe, _source)).GetContentInfo()
                    .Select(c => (Info: c, Plain: c.ContentType.Equals(PkcsObjectIdentifiers.Data) ? SafeContents(Asn1OctetString.GetInstance(c.Content).GetOctets()) : null))
                    .ToList();

                // Every iteration count that can be read before a password is used is checked first, each and all together,
                // so no work at all is done for a file that asks too much; those inside encrypted parts count as they are met.
                if (file.MacData != null) Count(file.MacData.IterationCount, Messages.IterationFunctionMac);
                foreach (var (info, plain) in parts)
                {
                    if (info.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData)) Count(EncryptedData.GetInstance(info.Content).EncryptionAlgorithm);
                    foreach (var bag in plain ?? Enumerable.Empty<SafeBag>())
                    {
                        if (bag.BagID.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag)) Count(EncryptedPrivateKeyInfo.GetInstance(bag.BagValue).EncryptionAlgorithm);
                    }
                }

                var macChecked = file.MacData != null;
                var wrongZero = macChecked && !MacHolds(file.MacData!, authenticatedSafe, password);
                foreach (var (info, plain) in parts)
                {
                    var encrypted = info.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData) ? EncryptedData.GetInstance(info.Content) : null;
                    if (plain == null && encrypted == null) continue;
                    var contents = plain ?? SafeContents(Decrypt(encrypted!.EncryptionAlgorithm, encrypted.Content.GetOctets(), password, wrongZero, macChecked));
                    foreach (var bag in contents)
                    {
                        if (bag.BagID.Equals(PkcsObjectIdentifiers.KeyBag))
                        {
                            bags.Add((bag, PrivateKeyInfo.GetInstance(bag.BagValue).GetEncoded()));
                        }
                        else if (bag.BagID.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag))
                        {
                            var key = EncryptedPrivateKeyInfo.GetInstance(bag.BagValue);
                            if (plain == null) Count(key.EncryptionAlgorithm);
                            bags.Add((bag, Decrypt(key.EncryptionAlgorithm, key.GetEncryptedData(), password, wrongZero, macChecked)));
                        }
                        else if (bag.BagID.Equals(PkcsObjectIdentifiers.CertBag))
                        {
                            bags.Add((bag, null));
                        }
                    }
                }
            }
            catch (Exception e)
            {
                foreach (var (_, pkcs8) in bags) if (pkcs8 != null) Array.Clear(pkcs8, 0, pkcs8.Length);
                if (Malformed.Is(e)) throw _unreadable(Messages.ReasonPfxDamaged, e);
                throw;
            }
            return KeyAndCertificate(bags);
        }

        private List<SafeBag> SafeContents(byte[] encoding) =>
            Asn1Sequence.GetInstance(DerInput.Read(encoding, _source)).Cast<Asn1Encodable>().Select(SafeBag.GetInstance).ToList();

        /// <summary>Whether the MAC holds with the password; false when it holds only with an empty password's other encoding (two zero bytes), as some tools write it.</summary>
        private bool MacHolds(MacData mac, byte[] authenticatedSafe, char[] password)
        {
            var iterations = KeyProtection.Iterations(mac.IterationCount, _source, Messages.IterationFunctionMac);
            var expected = mac.Mac.Digest.GetOctets();
            var algorithm = mac.Mac.DigestAlgorithm.Algorithm;
            if (Arrays.FixedTimeEquals(Mac(algorithm, mac.GetSalt(), iterations, password, false, authenticatedSafe), expected)) return true;
            if (password.Length == 0 && Arrays.FixedTimeEquals(Mac(algorithm, mac.GetSalt(), iterations, password, true, authenticatedSafe), expected)) return false;
            throw new PkiException(ErrorIds.KeyPasswordIncorrect, PkiErrorKind.SecurityError, _source, Messages.KeyPasswordIncorrect.Format(_source));
        }

        private static byte[] Mac(DerObjectIdentifier algorithm, byte[] salt, int iterations, char[] password, bool wrongZero, byte[] data)
        {
            var parameters = PbeUtilities.GenerateCipherParameters(algorithm, password, wrongZero, PbeUtilities.GenerateAlgorithmParameters(algorithm, salt, iterations));
            var mac = (IMac)PbeUtilities.CreateEngine(algorithm);
            mac.Init(parameters);
            return MacUtilities.DoFinal(mac, data);
        }

        /// <summary>
        /// Decrypts a part with PBES2 (PBKDF2) or a PKCS#12 scheme, its iteration count counted before. The plaintext goes on
        /// only once <see cref="DerInput"/> has passed it. A padding that does not hold is a wrong password when nothing else
        /// checked the password (no MAC), damage otherwise.
        /// </summary>
        private byte[] Decrypt(Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier algorithm, byte[] cipherText, char[] password, bool wrongZero, bool macChecked)
        {
            ICipherParameters parameters;
            if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
            {
                var pbes2 = PbeS2Parameters.GetInstance(algorithm.Parameters);
                parameters = PbeUtilities.GenerateCipherParameters(algorithm.Algorithm, password, pbes2);
            }
            else
            {
                parameters = PbeUtilities.GenerateCipherParameters(algorithm.Algorithm, password, wrongZero, Pkcs12PbeParams.GetInstance(algorithm.Parameters));
            }
            var cipher = PbeUtilities.CreateEngine(algorithm) as IBufferedCipher ?? throw _unreadable(Messages.ReasonCipherUnsupported.Format(algorithm.Algorithm.Id), null);
            cipher.Init(false, parameters);
            byte[] plain;
            try
            {
                plain = cipher.DoFinal(cipherText);
            }
            catch (InvalidCipherTextException e)
            {
                if (macChecked) throw;
                throw new PkiException(ErrorIds.KeyPasswordIncorrect, PkiErrorKind.SecurityError, _source, Messages.KeyPasswordIncorrect.Format(_source), e);
            }
            DerInput.Check(plain, _source);
            return plain;
        }

        /// <summary>Counts the iterations of a PBES2 (PBKDF2) or PKCS#12 encryption; other schemes are not read.</summary>
        private void Count(Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier algorithm)
        {
            if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
            {
                var pbes2 = PbeS2Parameters.GetInstance(algorithm.Parameters);
                if (!pbes2.KeyDerivationFunc.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2)) throw _unreadable(Messages.ReasonOnlyPbkdf2, null);
                Count(Pbkdf2Params.GetInstance(pbes2.KeyDerivationFunc.Parameters).IterationCount, "PBKDF2");
            }
            else
            {
                Count(Pkcs12PbeParams.GetInstance(algorithm.Parameters).Iterations, Messages.IterationFunctionPkcs12);
            }
        }

        /// <summary>An iteration count within <see cref="KeyProtection.MaxIterations"/>, and all of the file's together too.</summary>
        private void Count(Org.BouncyCastle.Math.BigInteger count, string function)
        {
            _iterations += KeyProtection.Iterations(count, _source, function);
            if (_iterations > KeyProtection.MaxIterations)
            {
                KeyProtection.Iterations(Org.BouncyCastle.Math.BigInteger.ValueOf(_iterations), _source, Messages.IterationFunctionAll);
            }
        }

        /// <summary>The first key, the certificate with its localKeyId or else with its public key, and the other certificates.</summary>
        private (byte[] Pkcs8, byte[] Certificate, IReadOnlyList<byte[]> Others) KeyAndCertificate(List<(SafeBag Bag, byte[]? Pkcs8)> bags)
        {
            var key = bags.FirstOrDefault(b => b.Pkcs8 != null);
            foreach (var other in bags.Where(b => b.Pkcs8 != null && !ReferenceEquals(b.Pkcs8, key.Pkcs8))) Array.Clear(other.Pkcs8!, 0, other.Pkcs8!.Length);
            if (key.Pkcs8 == null) throw _unreadable(Messages.ReasonPfxNoKey, null);
            try
            {
                var certificates = bags.Where(b => b.Pkcs8 == null).Select(b => (b.Bag, Der: Certificate(b.Bag))).Where(c => c.Der != null).ToList();
                var keyId = LocalKeyId(key.Bag);
                var chosen = certificates.FirstOrDefault(c => keyId != null && Arrays.AreEqual(keyId, LocalKeyId(c.Bag))).Der;
                if (chosen == null)
                {
                    using var privateKey = PrivateKey.FromPkcs8(key.Pkcs8, _source);
                    chosen = certificates.FirstOrDefault(c => PublicKeyInfo.FromSubjectPublicKeyInfo(
                        Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(c.Der).SubjectPublicKeyInfo.GetDerEncoded(), _source).Matches(privateKey)).Der;
                }
                if (chosen == null) throw _unreadable(Messages.ReasonPfxKeyWithoutCertificate, null);
                var others = new List<byte[]>();
                foreach (var der in certificates.Select(c => c.Der!))
                {
                    if (!der.SequenceEqual(chosen) && !others.Any(o => o.SequenceEqual(der))) others.Add(der);
                }
                return (key.Pkcs8, chosen, others);
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException)
            {
                Array.Clear(key.Pkcs8, 0, key.Pkcs8.Length);
                if (e is PkiException) throw;
                throw _unreadable(Messages.ReasonPfxDamaged, e);
            }
        }

        /// <summary>An X.509 certificate bag's DER; null for a bag of another kind of certificate.</summary>
        private static byte[]? Certificate(SafeBag bag)
        {
            var certificate = CertBag.GetInstance(bag.BagValue);
            return certificate.CertID.Equals(PkcsObjectIdentifiers.X509Certificate) ? Asn1OctetString.GetInstance(certificate.CertValue).GetOctets() : null;
        }

        private static byte[]? LocalKeyId(SafeBag bag)
        {
            if (bag.BagAttributes == null) return null;
            foreach (var element in bag.BagAttributes)
            {
                var attribute = Asn1Sequence.GetInstance(element);
                if (DerObjectIdentifier.GetInstance(attribute[0]).Equals(PkcsObjectIdentifiers.Pkcs9AtLocalKeyID))
                {
                    var values = Asn1Set.GetInstance(attribute[1]);
                    return values.Count > 0 ? Asn1OctetString.GetInstance(values[0]).GetOctets() : null;
                }
            }
            return null;
        }
    }
}
