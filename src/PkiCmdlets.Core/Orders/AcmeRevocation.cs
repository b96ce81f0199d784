using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Threading;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Revokes a certificate ordered over ACME at the certificate authority that issued it (RFC 8555 §7.6), found through
    /// the order that brought it, signed by the store's account at that CA or by the certificate's own key; then
    /// records the revocation in the store, as the store's CAs record theirs.
    /// </summary>
    internal sealed class AcmeRevocation
    {
        private readonly PkiStore _store;
        private readonly OrderRepository _orders;
        private readonly AcmeWorkflow _workflow;
        private readonly AcmeOptions _options;

        public AcmeRevocation(PkiStore store, OrderRepository orders, AcmeWorkflow workflow, AcmeOptions options)
        {
            _store = store;
            _orders = orders;
            _workflow = workflow;
            _options = options;
        }

        public IssuedCertificate Revoke(IssuedCertificate certificate, RevocationReason reason, bool useCertificateKey, SecureString? keyPassword,
            OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            if (certificate.RevokedAt.HasValue)
            {
                throw new PkiException(ErrorIds.CertificateAlreadyRevoked, PkiErrorKind.InvalidOperation, certificate.Identifier,
                    Messages.CertificateAlreadyRevoked.Format(certificate.Identifier, certificate.SerialNumber, ValidityPeriod.Text(certificate.RevokedAt.Value), certificate.RevocationReason));
            }
            var order = _orders.LoadAll(new List<PkiException>()).LastOrDefault(o => string.Equals(o.CertificateIdentifier, certificate.Identifier, StringComparison.OrdinalIgnoreCase))
                ?? throw new PkiException(ErrorIds.CertificateNotRevocable, PkiErrorKind.InvalidOperation, certificate.Identifier,
                    Messages.AcmeRevocationNoOrder.Format(certificate.Identifier, certificate.IssuerName));
            var der = certificate.Der;
            using var key = useCertificateKey ? CertificateKey(certificate, keyPassword) : null;
            try
            {
                CallerThread.Run(callbacks, async relay =>
                {
                    var options = _options.For(order.SkipCertificateCheck, relay);
                    relay.Report(Messages.ProgressRevokingAtCa.Format(certificate.Identifier));
                    if (key != null)
                    {
                        using var client = new AcmeClient(new Uri(order.Server), key, options);
                        await client.RevokeCertificateAsync(der, (int)reason, true, cancellation).ConfigureAwait(false);
                    }
                    else
                    {
                        using var account = _workflow.RequireAccount(order);
                        using var client = new AcmeClient(new Uri(order.Server), account.Key!, options) { AccountUrl = account.Url };
                        await client.RevokeCertificateAsync(der, (int)reason, false, cancellation).ConfigureAwait(false);
                    }
                    return true;
                });
            }
            catch (PkiException e) when (e.Target is AcmeProblem { Type: AcmeProblem.AlreadyRevoked })
            {
                // Revoked at the CA already (from another machine, say): what is left is to record it here.
            }
            return new CertificateService(_store).RecordExternalRevocation(certificate, reason, cancellation);
        }

        /// <summary>The certificate's own key, from the CSR in the store that asked for it, decrypted with <paramref name="keyPassword"/> when it is encrypted.</summary>
        private PrivateKey CertificateKey(IssuedCertificate certificate, SecureString? keyPassword)
        {
            var csrId = certificate.CsrId ?? throw KeyNotInStore(certificate, null);
            string pem;
            bool isProtected;
            try
            {
                pem = new CsrService(_store).ReadKeyPem(csrId, out isProtected);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.CsrNotFound)
            {
                throw KeyNotInStore(certificate, e);
            }
            if (isProtected && keyPassword == null)
            {
                throw new PkiException(ErrorIds.CsrKeyPasswordRequired, PkiErrorKind.SecurityError, certificate.Identifier,
                    Messages.AcmeRevocationKeyProtected.Format(certificate.Identifier));
            }
            var source = "CSR " + csrId.ToString(CultureInfo.InvariantCulture);
            var pkcs8 = Pkcs8Pem.Decode(pem, isProtected ? keyPassword : null, source);
            try
            {
                return PrivateKey.FromPkcs8(pkcs8, source);
            }
            finally
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        private static PkiException KeyNotInStore(IssuedCertificate certificate, Exception? inner) =>
            new PkiException(ErrorIds.PrivateKeyNotAvailable, PkiErrorKind.ObjectNotFound, certificate.Identifier,
                Messages.AcmeRevocationKeyNotInStore.Format(certificate.Identifier), inner);
    }
}
