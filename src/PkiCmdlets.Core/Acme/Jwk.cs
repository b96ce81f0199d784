using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// The public half of an ACME account key as a JSON Web Key (RFC 7517), the JWS algorithm that key
    /// signs with (RFC 7518), and its RFC 7638 thumbprint.
    /// </summary>
    internal sealed class Jwk
    {
        private readonly (string Name, string Value)[] _members;

        private Jwk(string algorithm, params (string Name, string Value)[] members)
        {
            Algorithm = algorithm;
            // RFC 7638 §3.2: only the required members, in lexicographic order.
            _members = members;
            Thumbprint = Base64Url.Encode(Sha256(Encoding.UTF8.GetBytes(CanonicalJson())));
        }

        /// <summary>The JWS "alg": RS256, or ES256/ES384/ES512 by curve.</summary>
        public string Algorithm { get; }

        /// <summary>base64url(SHA-256(canonical JWK)).</summary>
        public string Thumbprint { get; }

        public static Jwk For(PrivateKey key)
        {
            var info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(key.ExportSubjectPublicKeyInfo()));
            switch (key.Spec.Family)
            {
                case KeyFamily.Rsa:
                    var rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
                    return Rsa(rsa.Modulus.ToByteArrayUnsigned(), rsa.PublicExponent.ToByteArrayUnsigned());
                case KeyFamily.Ecc:
                    // An uncompressed point: 0x04 || X || Y, each the field length.
                    var point = info.PublicKey.GetBytes();
                    var length = (point.Length - 1) / 2;
                    var x = new byte[length];
                    var y = new byte[length];
                    System.Buffer.BlockCopy(point, 1, x, 0, length);
                    System.Buffer.BlockCopy(point, 1 + length, y, 0, length);
                    var algorithm = key.Spec.Size switch { 256 => "ES256", 384 => "ES384", _ => "ES512" };
                    return new Jwk(algorithm, ("crv", key.Spec.CurveName!), ("kty", "EC"), ("x", Base64Url.Encode(x)), ("y", Base64Url.Encode(y)));
                default:
                    throw new PkiException(ErrorIds.AcmeAccountKeyUnsupported, PkiErrorKind.InvalidArgument, key.Spec.AlgorithmName,
                        Messages.AcmeAccountKeyUnsupported.Format(key.Spec));
            }
        }

        /// <summary>An RSA public key from its big-endian modulus and exponent.</summary>
        public static Jwk Rsa(byte[] modulus, byte[] exponent) =>
            new Jwk("RS256", ("e", Base64Url.Encode(exponent)), ("kty", "RSA"), ("n", Base64Url.Encode(modulus)));

        public JObject ToJson()
        {
            var json = new JObject();
            foreach (var (name, value) in _members) json.Add(name, value);
            return json;
        }

        /// <summary>RFC 8555 §8.1: token || '.' || thumbprint.</summary>
        public string KeyAuthorization(string token) => token + "." + Thumbprint;

        /// <summary>RFC 8555 §8.4: the TXT record value is base64url(SHA-256(key authorization)).</summary>
        public static string Dns01TxtValue(string keyAuthorization) =>
            Base64Url.Encode(Sha256(Encoding.UTF8.GetBytes(keyAuthorization)));

        private string CanonicalJson()
        {
            // Member values are base64url or fixed names, so no character needs JSON escaping.
            var text = new StringBuilder("{");
            for (var i = 0; i < _members.Length; i++)
            {
                if (i > 0) text.Append(',');
                text.Append('"').Append(_members[i].Name).Append("\":\"").Append(_members[i].Value).Append('"');
            }
            return text.Append('}').ToString();
        }

        private static byte[] Sha256(byte[] data)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(data);
        }
    }
}
