using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// The key identifier and MAC key a CA issues out of band to tie a new ACME account to an existing
    /// customer account (RFC 8555 §7.3.4).
    /// </summary>
    public sealed class AcmeExternalAccountBinding
    {
        /// <param name="keyId">The CA's key identifier (not secret).</param>
        /// <param name="macKey">The HMAC key as the CA gives it, base64url. Secret: it never appears in a message.</param>
        public AcmeExternalAccountBinding(string keyId, string macKey)
        {
            if (!Base64Url.TryDecode(macKey, out var key) || key.Length == 0)
            {
                throw new PkiException(ErrorIds.AcmeExternalAccountKeyInvalid, PkiErrorKind.InvalidArgument, keyId,
                    Messages.AcmeExternalAccountKeyInvalid.Format(keyId));
            }
            KeyId = keyId;
            MacKey = key;
        }

        public string KeyId { get; }

        internal byte[] MacKey { get; }
    }
}
