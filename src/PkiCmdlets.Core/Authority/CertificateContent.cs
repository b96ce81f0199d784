using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// What the product reads from an X.509 certificate, in one place: the certificate from DER or from the first PEM
    /// block of a file, the first value of an attribute of its subject or issuer, the server names it covers, and its
    /// public key. A certificate that does not parse is the error its caller names (the store's file is damaged, an
    /// imported file is unreadable, a CA sent something that is not a certificate).
    /// </summary>
    internal sealed class CertificateContent
    {
        private CertificateContent(byte[] der, X509CertificateStructure structure, string source)
        {
            Der = der;
            Structure = structure;
            Source = source;
        }

        public byte[] Der { get; }

        public X509CertificateStructure Structure { get; }

        /// <summary>What the certificate came from (a file, a store file, a CA's answer), as errors about its content name it.</summary>
        public string Source { get; }

        /// <summary>The DER SubjectPublicKeyInfo: the certificate's public key.</summary>
        public byte[] SubjectPublicKeyInfo => Structure.SubjectPublicKeyInfo.GetDerEncoded();

        /// <summary>The DNS names and IP addresses of its subjectAltName (see <see cref="CertificateNames.ServerNames(Asn1Sequence, string)"/>).</summary>
        public IReadOnlyList<SubjectAlternativeName> ServerNames => CertificateNames.ServerNames(Structure.TbsCertificate.Extensions, Source);

        public string? SubjectAttribute(DerObjectIdentifier oid) => Attribute(Structure.Subject, oid);

        public string? IssuerAttribute(DerObjectIdentifier oid) => Attribute(Structure.Issuer, oid);

        /// <summary>
        /// Parses a DER certificate from <paramref name="source"/>; <paramref name="unreadable"/> makes the error when it does
        /// not parse, or is larger or deeper than any certificate (<see cref="DerInput"/>).
        /// </summary>
        public static CertificateContent FromDer(byte[] der, string source, Func<Exception, PkiException> unreadable)
        {
            try
            {
                return new CertificateContent(der, X509CertificateStructure.GetInstance(DerInput.Read(der, source)), source);
            }
            catch (Exception e) when (Malformed.Is(e) || DerInput.IsLimit(e))
            {
                throw unreadable(e);
            }
        }

        /// <summary>
        /// What to tell the user about a certificate that does not parse: the message of our own error, or else "the
        /// certificate is damaged", never a library's words (see <see cref="Malformed.Reason"/>).
        /// </summary>
        public static string Reason(Exception e) => e is PkiException ? e.Message : Malformed.Reason(e, Messages.ReasonCertificateDamaged);

        /// <summary>
        /// A file's certificate: the file itself when it is DER (it starts with a SEQUENCE), else its first PEM CERTIFICATE
        /// block (the text in UTF-8, or UTF-16 or UTF-32 with a byte order mark).
        /// </summary>
        public static byte[] FirstCertificate(byte[] file) =>
            InputFile.IsDer(file) ? file : Pem.Decode(InputFile.Text(file), Pem.CertificateLabel);

        /// <summary>The first value of an attribute (CN, O, …) of a distinguished name, or null.</summary>
        public static string? Attribute(X509Name name, DerObjectIdentifier oid)
        {
            var values = name.GetValueList(oid);
            return values.Count > 0 ? (string)values[0]! : null;
        }
    }
}
