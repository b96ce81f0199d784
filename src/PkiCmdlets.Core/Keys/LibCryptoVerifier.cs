using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// The one platform-specific fast path of issuing: RSA PKCS#1 v1.5 and ECDSA (P-256, P-521) signature checks straight
    /// on OpenSSL 3's libcrypto, the library .NET itself uses on Linux. .NET's import of a public key there goes through
    /// OpenSSL 3.0's key decoders and, for EC keys, a full public-key check (a scalar multiplication by the group order):
    /// about 100 µs for RSA-2048 and 75 µs for P-256, more than the check itself. Here the key is built with the
    /// low-level calls (RSA_set0_key; o2i_ECPublicKey, which refuses a point off the curve, and on these prime-order
    /// curves every point on the curve other than infinity has the group's order).
    /// Chosen at run time: only on Linux, only when libcrypto.so.3 loads and has every function; anything else (Windows,
    /// macOS, OpenSSL 1.1, a missing function) leaves <see cref="IsAvailable"/> false and <see cref="PublicKeyInfo"/>
    /// uses the .NET path, which stays the reference: this class only ever says "verified". A signature it does not
    /// verify (wrong, or in an encoding it does not take) goes to the reference path, which decides, so the set of
    /// signatures that verify is the reference path's. Public keys and signatures only: no secret passes through here.
    /// </summary>
    internal static class LibCryptoVerifier
    {
        private const string Library = "libcrypto.so.3";
        private const int NidPrime256v1 = 415;
        private const int NidSecp521r1 = 716;

        private static readonly Lazy<bool> Available = new Lazy<bool>(Probe);

        /// <summary>
        /// Each curve's group, made once and kept for the process: EC_KEY_new_by_curve_name builds one for every key
        /// (8 µs on OpenSSL 3.0), EC_KEY_set_group copies a made one (under 1 µs). Only ever read once made.
        /// </summary>
        private static readonly Lazy<IntPtr> P256 = new Lazy<IntPtr>(() => EC_GROUP_new_by_curve_name(NidPrime256v1));
        private static readonly Lazy<IntPtr> P521 = new Lazy<IntPtr>(() => EC_GROUP_new_by_curve_name(NidSecp521r1));

        /// <summary>Whether the fast path can be used in this process (probed once).</summary>
        public static bool IsAvailable => Available.Value;

        /// <summary>
        /// True when <paramref name="signature"/> is a valid RSASSA-PKCS1-v1_5 signature of <paramref name="data"/> under
        /// the key (<paramref name="modulus"/>, <paramref name="exponent"/>, unsigned big-endian) with <paramref name="hash"/>;
        /// false when it is not, or when this path cannot tell.
        /// </summary>
        public static bool VerifiedRsa(byte[] modulus, byte[] exponent, HashAlgorithmName hash, byte[] data, byte[] signature)
        {
            var nid = HashNid(hash);
            if (!Usable || nid == 0) return false;
            var digest = Digest(hash, data);
            var rsa = IntPtr.Zero;
            try
            {
                rsa = RSA_new();
                if (rsa == IntPtr.Zero) return false;
                var n = BN_bin2bn(modulus, modulus.Length, IntPtr.Zero);
                var e = BN_bin2bn(exponent, exponent.Length, IntPtr.Zero);
                if (n == IntPtr.Zero || e == IntPtr.Zero || RSA_set0_key(rsa, n, e, IntPtr.Zero) != 1)
                {
                    BN_free(n);
                    BN_free(e);
                    return false;
                }
                return RSA_verify(nid, digest, (uint)digest.Length, signature, (uint)signature.Length, rsa) == 1;
            }
            finally
            {
                if (rsa != IntPtr.Zero) RSA_free(rsa);
                ERR_clear_error();
            }
        }

        /// <summary>
        /// True when <paramref name="derSignature"/> (an ECDSA-Sig-Value) is a valid ECDSA signature of <paramref name="data"/>
        /// under the point <paramref name="point"/> (the SubjectPublicKeyInfo's octets) on P-256 or P-521 with
        /// <paramref name="hash"/>; false when it is not, or when this path cannot tell.
        /// </summary>
        public static bool VerifiedEcdsa(int fieldBits, byte[] point, HashAlgorithmName hash, byte[] data, byte[] derSignature)
        {
            if (!Usable || (fieldBits != 256 && fieldBits != 521) || HashNid(hash) == 0 || point.Length < 2) return false;
            var group = fieldBits == 256 ? P256.Value : P521.Value;
            if (group == IntPtr.Zero) return false;
            var digest = Digest(hash, data);
            var key = IntPtr.Zero;
            var pinned = GCHandle.Alloc(point, GCHandleType.Pinned);
            try
            {
                key = EC_KEY_new();
                if (key == IntPtr.Zero || EC_KEY_set_group(key, group) != 1) return false;
                var cursor = pinned.AddrOfPinnedObject();
                if (o2i_ECPublicKey(ref key, ref cursor, new IntPtr(point.Length)) == IntPtr.Zero) return false;
                return ECDSA_verify(0, digest, digest.Length, derSignature, derSignature.Length, key) == 1;
            }
            finally
            {
                pinned.Free();
                if (key != IntPtr.Zero) EC_KEY_free(key);
                ERR_clear_error();
            }
        }

        private static int HashNid(HashAlgorithmName hash) =>
            hash == HashAlgorithmName.SHA256 ? 672 : hash == HashAlgorithmName.SHA384 ? 673 : hash == HashAlgorithmName.SHA512 ? 674 : 0;

        private static byte[] Digest(HashAlgorithmName hash, byte[] data)
        {
            using var digest = IncrementalHash.CreateHash(hash);
            digest.AppendData(data);
            return digest.GetHashAndReset();
        }

        /// <summary>
        /// Linux, libcrypto.so.3 loaded (OpenSSL 3.x), and a known-answer test passed: an RSA-1024 and a P-256 signature
        /// made with the openssl CLI verify here and the same signatures over other data do not. Any failure (a library or
        /// function missing, a wrong answer) leaves the fast path off.
        /// </summary>
        private static bool Probe()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return false;
            try
            {
                if ((OpenSSL_version_num() >> 28) != 3) return false;
                BN_free(IntPtr.Zero); // a no-op that binds the one function only a failure path calls
                var message = System.Text.Encoding.ASCII.GetBytes("PkiCmdlets libcrypto self-test");
                var other = System.Text.Encoding.ASCII.GetBytes("PkiCmdlets libcrypto self-tesT");
                var modulus = Formats.Hex.Parse(TestModulus);
                var exponent = new byte[] { 1, 0, 1 };
                var rsaSignature = Formats.Hex.Parse(TestRsaSignature);
                var point = Formats.Hex.Parse(TestPoint);
                var ecdsaSignature = Formats.Hex.Parse(TestEcdsaSignature);
                return Run(() => VerifiedRsa(modulus, exponent, HashAlgorithmName.SHA256, message, rsaSignature))
                    && !Run(() => VerifiedRsa(modulus, exponent, HashAlgorithmName.SHA256, other, rsaSignature))
                    && Run(() => VerifiedEcdsa(256, point, HashAlgorithmName.SHA256, message, ecdsaSignature))
                    && !Run(() => VerifiedEcdsa(256, point, HashAlgorithmName.SHA256, other, ecdsaSignature));
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
            {
                return false;
            }
        }

        /// <summary>The probe's checks run before <see cref="IsAvailable"/> is known, so they skip its test.</summary>
        private static bool Run(Func<bool> check)
        {
            _probing = true;
            try
            {
                return check();
            }
            finally
            {
                _probing = false;
            }
        }

        [ThreadStatic]
        private static bool _probing;

        private static bool Usable => _probing || IsAvailable;

        private const string TestModulus =
            "CC45C2D14F9DAD96BBB0B474C2FEFE15FF448EFC8CFBC8190DB036BC5629C649F6C74A95B36A4B8EBD79D0A4FE31BFB0D057FAB07EFFB85087B2CB9119C1BCB2" +
            "BCB8B645502D95655FF2BEE66779290DE25A2DB8EF1BCDE80C285431D76EC18C74DE35A8EBAEFB0963D69E6B81847815E9C9B21F70FA47AC7CE56DAF7BD9EA3F";

        private const string TestRsaSignature =
            "4eaff9733c5e9c053b5239c8379e97e8fc5abf5e85b45700570e7106fbdd7edc1c7c4a48589feec050ea064000d8cf723e31e2c6a21b985bf28aa4a86b5e8573" +
            "52160fd481b6d6697ea6dffaebc047fa26978a5cd6a7827ee7471d8e5321079a91221e57c0c45de2484e63931b68d85bf328b7c54c37c74f8fd80b505ad8c48a";

        private const string TestPoint =
            "041c563fd623656714932491b12ef7f5da487458bdd382dca9ddb04ee8e59c6882d83277f4243fa7e92435c1514bbb1fc927f8c6bca8e73f7a395b0bc9a2395ed5";

        private const string TestEcdsaSignature =
            "304602210089dbed6efa69905052df6dcf244baacf1cf2fc26eaa326b3e2681f0e5398421a022100fd81cb59bd9ef97dd075f1fad81da5574d4cca80eddfdd1555f50132bf01b31d";

        [DllImport(Library)] private static extern ulong OpenSSL_version_num();
        [DllImport(Library)] private static extern void ERR_clear_error();
        [DllImport(Library)] private static extern IntPtr BN_bin2bn(byte[] s, int length, IntPtr ret);
        [DllImport(Library)] private static extern void BN_free(IntPtr bn);
        [DllImport(Library)] private static extern IntPtr RSA_new();
        [DllImport(Library)] private static extern void RSA_free(IntPtr rsa);
        [DllImport(Library)] private static extern int RSA_set0_key(IntPtr rsa, IntPtr n, IntPtr e, IntPtr d);
        [DllImport(Library)] private static extern int RSA_verify(int type, byte[] digest, uint digestLength, byte[] signature, uint signatureLength, IntPtr rsa);
        [DllImport(Library)] private static extern IntPtr EC_GROUP_new_by_curve_name(int nid);
        [DllImport(Library)] private static extern IntPtr EC_KEY_new();
        [DllImport(Library)] private static extern int EC_KEY_set_group(IntPtr key, IntPtr group);
        [DllImport(Library)] private static extern void EC_KEY_free(IntPtr key);
        [DllImport(Library)] private static extern IntPtr o2i_ECPublicKey(ref IntPtr key, ref IntPtr input, IntPtr length);
        [DllImport(Library)] private static extern int ECDSA_verify(int type, byte[] digest, int digestLength, byte[] signature, int signatureLength, IntPtr key);
    }
}
