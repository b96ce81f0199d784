using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// A PKCS#10 request received from outside (ours, OpenSSL's, keytool's), parsed and with its
    /// signature verified: nothing is issued from a request whose signature does not hold.
    /// </summary>
    public sealed class CsrContent
    {
        /// <summary>The PEM labels requests arrive under: RFC 7468's, and the one keytool and old Netscape tools write.</summary>
        private static readonly string[] Labels = { Pem.CertificateRequestLabel, "NEW CERTIFICATE REQUEST" };

        internal CsrContent(byte[] der, PublicKeyInfo publicKey, IReadOnlyDictionary<DerObjectIdentifier, string> subject, IReadOnlyList<SubjectAlternativeName> names,
            IReadOnlyList<X509Extensions> extensionRequests, string source)
        {
            _source = source;
            Der = der;
            PublicKeyInfo = publicKey;
            SubjectAttributes = subject;
            Names = names;
            _extensionRequests = extensionRequests;
        }

        private readonly IReadOnlyList<X509Extensions> _extensionRequests;
        private readonly string _source;
        private IReadOnlyList<SubjectAlternativeName>? _identities;

        public byte[] Der { get; }

        public PublicKeyInfo PublicKeyInfo { get; }

        /// <summary>The DNS names and IP addresses the request asks for (its subjectAltName extension).</summary>
        public IReadOnlyList<SubjectAlternativeName> Names { get; }

        /// <summary>
        /// Every name the request asks for that a client certificate can carry (DNS names, IP addresses, e-mail addresses,
        /// URIs, user principal names), validated when first asked for: a server certificate never reads them.
        /// </summary>
        public IReadOnlyList<SubjectAlternativeName> Identities
        {
            get
            {
                if (_identities != null) return _identities;
                var names = new List<SubjectAlternativeName>();
                try
                {
                    foreach (var extensions in _extensionRequests)
                    {
                        foreach (var entry in CertificateNames.Identities(extensions)) NameRules.AddDistinct(names, entry);
                    }
                }
                catch (Exception e) when (Malformed.Is(e))
                {
                    throw Unreadable(_source, e);
                }
                return _identities = names;
            }
        }

        public string? CommonName => Attribute(X509Name.CN);
        public string? Organization => Attribute(X509Name.O);
        public string? OrganizationalUnit => Attribute(X509Name.OU);
        public string? Country => Attribute(X509Name.C);
        public string? State => Attribute(X509Name.ST);
        public string? Locality => Attribute(X509Name.L);

        private IReadOnlyDictionary<DerObjectIdentifier, string> SubjectAttributes { get; }

        /// <summary>
        /// Reads PEM text (or base64 DER without armour), checks the structure and the signature. Errors name
        /// <paramref name="source"/> in their message and carry the text itself as their target.
        /// </summary>
        public static CsrContent FromText(string text, string source)
        {
            try
            {
                return Parse(text, source);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.InvalidPem || e.ErrorId == ErrorIds.CsrUnreadable || e.ErrorId == ErrorIds.CsrSignatureInvalid)
            {
                throw new PkiException(e.ErrorId, e.Kind, text, e.Message, e.InnerException);
            }
        }

        private static CsrContent Parse(string text, string source)
        {
            var trimmed = (text ?? string.Empty).Trim();
            if (trimmed.IndexOf("-----BEGIN", StringComparison.Ordinal) < 0)
            {
                try
                {
                    return FromDer(Convert.FromBase64String(trimmed), source);
                }
                catch (FormatException)
                {
                    // Not base64 either: report it as the PEM it should have been.
                }
            }
            var label = Labels.FirstOrDefault(l => trimmed.IndexOf("-----BEGIN " + l + "-----", StringComparison.Ordinal) >= 0) ?? Labels[0];
            return FromDer(Pem.Decode(trimmed, label), source);
        }

        /// <summary>
        /// The request given as text (-Csr), else read from a file (-CsrPath: PEM or DER), checked; CsrMissing when
        /// neither is given.
        /// </summary>
        public static CsrContent FromTextOrFile(string? text, string? path)
        {
            if (text != null) return FromText(text, "-Csr");
            if (path == null)
            {
                throw new PkiException(ErrorIds.CsrMissing, PkiErrorKind.InvalidArgument, null, Messages.CsrMissing);
            }
            byte[] bytes;
            try
            {
                bytes = System.IO.File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new PkiException(ErrorIds.CsrUnreadable, PkiErrorKind.ObjectNotFound, path, Messages.CsrUnreadable.Format(path, e.Message), e);
            }
            // A DER request starts with a SEQUENCE tag; anything else is read as text (PEM).
            return bytes.Length > 0 && bytes[0] == 0x30
                ? FromDer(bytes, path)
                : FromText(Store.PkiStore.FromUtf8(bytes), path);
        }

        /// <summary>
        /// Reads a DER request, checks the structure and the signature. Anything malformed, before the signature or after it
        /// (a damaged key, an extension of the wrong type), is CsrUnreadable.
        /// </summary>
        public static CsrContent FromDer(byte[] der, string source)
        {
            CertificationRequest request;
            CertificationRequestInfo info;
            PublicKeyInfo publicKey;
            try
            {
                request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(der));
                info = request.GetCertificationRequestInfo();
                if (info?.SubjectPublicKeyInfo == null || request.SignatureAlgorithm == null || request.Signature == null)
                {
                    throw new ArgumentException(Messages.ReasonCsrIncomplete);
                }
                publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(info.SubjectPublicKeyInfo.GetDerEncoded(), source);
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw Unreadable(source, e);
            }

            if (!publicKey.Verify(request.SignatureAlgorithm.GetDerEncoded(), info.GetDerEncoded(), request.Signature.GetOctets()))
            {
                throw new PkiException(ErrorIds.CsrSignatureInvalid, PkiErrorKind.SecurityError, source, Messages.CsrSignatureInvalid.Format(source));
            }

            try
            {
                var subject = new Dictionary<DerObjectIdentifier, string>();
                var name = info.Subject;
                var oids = name.GetOidList();
                var values = name.GetValueList();
                for (var i = 0; i < oids.Count; i++)
                {
                    var oid = (DerObjectIdentifier)oids[i]!;
                    if (!subject.ContainsKey(oid)) subject[oid] = (string)values[i]!;
                }
                var extensionRequests = ExtensionRequests(info);
                return new CsrContent(der, publicKey, subject, ReadNames(extensionRequests), extensionRequests, source);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw Unreadable(source, e);
            }
        }

        /// <summary>
        /// What a confirmation or -WhatIf calls a request given as text: its common name, else its first name, read without
        /// checking the signature (that comes with the real reading); null when the text is not a request at all.
        /// </summary>
        public static string? Describe(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            try
            {
                var trimmed = text!.Trim();
                var label = Labels.FirstOrDefault(l => trimmed.IndexOf("-----BEGIN " + l + "-----", StringComparison.Ordinal) >= 0);
                var der = label != null ? Pem.Decode(trimmed, label) : Convert.FromBase64String(trimmed);
                var info = CertificationRequest.GetInstance(Asn1Object.FromByteArray(der)).GetCertificationRequestInfo();
                var commonName = info.Subject.GetValueList(X509Name.CN).Cast<object>().FirstOrDefault()?.ToString();
                return !string.IsNullOrWhiteSpace(commonName) ? commonName : ReadNames(ExtensionRequests(info)).Select(n => n.Value).FirstOrDefault();
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException)
            {
                return null;
            }
        }

        private static PkiException Unreadable(string source, Exception e) =>
            new PkiException(ErrorIds.CsrUnreadable, PkiErrorKind.InvalidData, source,
                Messages.CsrUnreadable.Format(source, Malformed.Reason(e is PkiException ? e.InnerException ?? e : e, Messages.ReasonDerDamaged)), e);

        private string? Attribute(DerObjectIdentifier oid) => SubjectAttributes.TryGetValue(oid, out var value) ? value : null;

        /// <summary>DNS and IP entries of the extensionRequest's subjectAltName; other kinds do not belong in a server certificate.</summary>
        private static IReadOnlyList<SubjectAlternativeName> ReadNames(IReadOnlyList<X509Extensions> extensionRequests)
        {
            var names = new List<SubjectAlternativeName>();
            foreach (var extensions in extensionRequests)
            {
                foreach (var entry in CertificateNames.ServerNames(extensions))
                {
                    NameRules.AddDistinct(names, entry);
                }
            }
            return names;
        }

        /// <summary>The extensions each extensionRequest attribute of the request holds.</summary>
        private static IReadOnlyList<X509Extensions> ExtensionRequests(CertificationRequestInfo info)
        {
            var requests = new List<X509Extensions>();
            if (info.Attributes == null) return requests;
            foreach (var element in info.Attributes)
            {
                var attribute = AttributePkcs.GetInstance(element);
                if (!attribute.AttrType.Equals(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest)) continue;
                foreach (var value in attribute.AttrValues) requests.Add(X509Extensions.GetInstance(value));
            }
            return requests;
        }
    }
}
