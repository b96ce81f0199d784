using System;

namespace PkiCmdlets.Core.Revocation
{
    /// <summary>One revoked certificate as a CRL lists it: its serial number, when, and why. A plain value, read from an issuer's journal.</summary>
    internal sealed class RevocationEntry
    {
        public RevocationEntry(byte[] serial, DateTimeOffset revokedAt, RevocationReason reason)
        {
            Serial = serial;
            RevokedAt = revokedAt;
            Reason = reason;
        }

        /// <summary>The serial number's bytes, big-endian, as the certificate carries it.</summary>
        public byte[] Serial { get; }

        public DateTimeOffset RevokedAt { get; }

        public RevocationReason Reason { get; }
    }
}
