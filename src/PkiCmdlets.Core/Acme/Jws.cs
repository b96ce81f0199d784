using System;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// Signs ACME request bodies: JWS in flattened JSON serialization (RFC 7515 §7.2.2) with the
    /// protected headers RFC 8555 §6.2 requires (alg, jwk or kid, nonce, url).
    /// </summary>
    internal sealed class Jws
    {
        private readonly PrivateKey _key;

        public Jws(PrivateKey key)
        {
            Jwk = Jwk.For(key);
            _key = key;
        }

        public Jwk Jwk { get; }

        /// <summary>For newAccount (and revocation by key), where the server does not know the key yet.</summary>
        public string SignWithJwk(Uri url, string nonce, string payload) =>
            Sign(new JObject
            {
                ["alg"] = Jwk.Algorithm,
                ["jwk"] = Jwk.ToJson(),
                ["nonce"] = nonce,
                ["url"] = url.AbsoluteUri,
            }, payload);

        /// <summary>For every other request: the account URL names the key.</summary>
        public string SignWithKid(Uri accountUrl, Uri url, string nonce, string payload) =>
            Sign(new JObject
            {
                ["alg"] = Jwk.Algorithm,
                ["kid"] = accountUrl.AbsoluteUri,
                ["nonce"] = nonce,
                ["url"] = url.AbsoluteUri,
            }, payload);

        /// <summary>
        /// RFC 8555 §7.3.5: the inner JWS of a key change, signed with this (the new) key, its JWK in the header, no
        /// nonce, and as payload the account URL and the old key's JWK.
        /// </summary>
        public string KeyChange(Uri keyChangeUrl, Uri accountUrl, Jwk oldKey) =>
            Sign(new JObject
            {
                ["alg"] = Jwk.Algorithm,
                ["jwk"] = Jwk.ToJson(),
                ["url"] = keyChangeUrl.AbsoluteUri,
            }, new JObject { ["account"] = accountUrl.AbsoluteUri, ["oldKey"] = oldKey.ToJson() }.ToString(Formatting.None));

        /// <summary>
        /// RFC 8555 §7.3.4: the account's JWK, signed with HS256 under the MAC key the CA issued, with the
        /// CA's key identifier as kid and the newAccount URL as url (and no nonce).
        /// </summary>
        public JObject ExternalAccountBinding(string keyId, byte[] macKey, Uri newAccountUrl)
        {
            var header = new JObject
            {
                ["alg"] = "HS256",
                ["kid"] = keyId,
                ["url"] = newAccountUrl.AbsoluteUri,
            };
            return Flattened(header, Jwk.ToJson().ToString(Formatting.None), input =>
            {
                using var hmac = new HMACSHA256(macKey);
                return hmac.ComputeHash(input);
            });
        }

        private string Sign(JObject header, string payload) =>
            Flattened(header, payload, input => _key is EcdsaPrivateKey ecdsa ? ecdsa.SignP1363(input) : _key.Sign(input))
                .ToString(Formatting.None);

        /// <summary>An empty <paramref name="payload"/> stays empty: that is how POST-as-GET is signalled.</summary>
        private static JObject Flattened(JObject header, string payload, Func<byte[], byte[]> sign)
        {
            var encodedHeader = Base64Url.Encode(header.ToString(Formatting.None));
            var encodedPayload = Base64Url.Encode(payload);
            var signature = sign(Encoding.ASCII.GetBytes(encodedHeader + "." + encodedPayload));
            return new JObject
            {
                ["protected"] = encodedHeader,
                ["payload"] = encodedPayload,
                ["signature"] = Base64Url.Encode(signature),
            };
        }
    }
}
