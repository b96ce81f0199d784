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
            X509Extensions? extensionRequest, string source)
        {
            _source = source;
            Der = der;
            PublicKeyInfo = publicKey;
            SubjectAttributes = subject;
            Names = names;
            _extensionRequest = extensionRequest;
        }

        private readonly X509Extensions? _extensionRequest;
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
                try
                {
                    _identities = CertificateNames.Identities(_extensionRequest, _source);
                }
                catch (Exception e) when (Malformed.Is(e))
                {
                    throw Unreadable(_source, e);
                }
                return _identities;
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
        /// <paramref name="source"/> in their message; their target is the request's common name when the text holds a
        /// readable request, else <paramref name="source"/>: never the text, which may be a private key given by mistake.
        /// </summary>
        public static CsrContent FromText(string text, string source) => Retargeted(() => Parse(text ?? string.Empty, source), () => Describe(text) ?? source);

        private static CsrContent Parse(string text, string source)
        {
            if (text.Length > DerInput.MaxBytes) throw DerInput.TooLarge(source, text.Length);
            var trimmed = text.Trim();
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
        /// The request given as text (-Csr), else read from a file (-CsrPath: PEM in UTF-8, UTF-16 or UTF-32 with a byte
        /// order mark, or DER), checked; CsrMissing when neither is given. A file's errors have its path as their target.
        /// </summary>
        public static CsrContent FromTextOrFile(string? text, string? path)
        {
            if (text != null) return FromText(text, "-Csr");
            if (path == null)
            {
                throw new PkiException(ErrorIds.CsrMissing, PkiErrorKind.InvalidArgument, null, Messages.CsrMissing);
            }
            var bytes = InputFile.Read(path, e => new PkiException(ErrorIds.CsrUnreadable, PkiErrorKind.ObjectNotFound, path, Messages.CsrUnreadable.Format(path, e.Message), e));
            return Retargeted(() => InputFile.IsDer(bytes) ? FromDer(bytes, path) : Parse(InputFile.Text(bytes), path), () => path);
        }

        /// <summary>Runs <paramref name="parse"/>; a request it cannot read or trust gets <paramref name="target"/> as its error's target.</summary>
        private static CsrContent Retargeted(Func<CsrContent> parse, Func<object> target)
        {
            try
            {
                return parse();
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.InvalidPem || e.ErrorId == ErrorIds.CsrUnreadable || e.ErrorId == ErrorIds.CsrSignatureInvalid)
            {
                throw new PkiException(e.ErrorId, e.Kind, target(), e.Message, e.InnerException);
            }
        }

        /// <summary>
        /// Reads a DER request and checks it: within the input limits before anything parses it, the structure, a signature
        /// algorithm of today's strength (<see cref="CsrSignatureAlgorithms"/>), the signature, then its subject (text,
        /// without control characters) and extensions (one of each, a subjectAltName of names). Anything malformed
        /// that has no error of its own (a damaged key, a field of the wrong type) is CsrUnreadable.
        /// </summary>
        public static CsrContent FromDer(byte[] der, string source)
        {
            DerInput.Check(der, source);
            CertificationRequest request;
            CertificationRequestInfo info;
            PublicKeyInfo publicKey;
            try
            {
                request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(der));
                info = request.GetCertificationRequestInfo();
                if (info?.SubjectPublicKeyInfo == null || info.Subject == null || request.SignatureAlgorithm == null || request.Signature == null)
                {
                    throw new ArgumentException(Messages.ReasonCsrIncomplete);
                }
                if (request.Signature.PadBits != 0) throw new ArgumentException(Messages.ReasonSignatureNotOctets);
                publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(info.SubjectPublicKeyInfo.GetDerEncoded(), source);
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw Unreadable(source, e);
            }

            CsrSignatureAlgorithms.Require(request.SignatureAlgorithm, source);
            if (!publicKey.Verify(request.SignatureAlgorithm.GetDerEncoded(), info.GetDerEncoded(), request.Signature.GetOctets()))
            {
                throw new PkiException(ErrorIds.CsrSignatureInvalid, PkiErrorKind.SecurityError, source, Messages.CsrSignatureInvalid.Format(source));
            }

            try
            {
                var extensionRequest = ExtensionRequest(info, source);
                return new CsrContent(der, publicKey, ReadSubject(info.Subject, source), ReadNames(extensionRequest, source), extensionRequest, source);
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
            if (string.IsNullOrWhiteSpace(text) || text!.Length > DerInput.MaxBytes) return null;
            try
            {
                var trimmed = text.Trim();
                var label = Labels.FirstOrDefault(l => trimmed.IndexOf("-----BEGIN " + l + "-----", StringComparison.Ordinal) >= 0);
                var der = label != null ? Pem.Decode(trimmed, label) : Convert.FromBase64String(trimmed);
                var info = CertificationRequest.GetInstance(DerInput.Read(der, "-Csr")).GetCertificationRequestInfo();
                var commonName = info.Subject.GetValueList(X509Name.CN).Cast<object>().FirstOrDefault()?.ToString();
                return !string.IsNullOrWhiteSpace(commonName) && SubjectName.ForbiddenCharacter(commonName!) == null
                    ? commonName
                    : ReadNames(ExtensionRequest(info, "-Csr"), "-Csr").Select(n => n.Value).FirstOrDefault();
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException)
            {
                return null;
            }
        }

        private static PkiException Unreadable(string source, Exception e) =>
            new PkiException(ErrorIds.CsrUnreadable, PkiErrorKind.InvalidData, source,
                Messages.CsrUnreadable.Format(source, Malformed.Reason(e is PkiException ? e.InnerException ?? e : e, Messages.ReasonDerDamaged)), e);

        /// <summary>
        /// The first value of each attribute of the subject. Each value must be text (a DirectoryString, or an IA5String)
        /// without control or format characters (<see cref="SubjectName.ForbiddenCharacter"/>), in every attribute,
        /// copied or not: SubjectAttributeInvalid otherwise.
        /// </summary>
        private static Dictionary<DerObjectIdentifier, string> ReadSubject(X509Name name, string source)
        {
            var subject = new Dictionary<DerObjectIdentifier, string>();
            foreach (var rdn in Asn1Sequence.GetInstance(name.ToAsn1Object()))
            {
                foreach (var element in Asn1Set.GetInstance(rdn))
                {
                    var pair = Asn1Sequence.GetInstance(element);
                    var type = DerObjectIdentifier.GetInstance(pair[0]);
                    var attribute = X509Name.DefaultSymbols.TryGetValue(type, out var symbol) ? symbol : type.Id;
                    var value = pair[1] is DerStringBase text && IsTextType(text) ? text.GetString()
                        : throw new PkiException(ErrorIds.SubjectAttributeInvalid, PkiErrorKind.InvalidData, source,
                            Messages.SubjectAttributeNotText.Format(attribute, source, TypeName(pair[1])));
                    SubjectName.RequireText(attribute, value);
                    if (!subject.ContainsKey(type)) subject[type] = value;
                }
            }
            return subject;
        }

        /// <summary>The string types of RFC 5280's DirectoryString, and IA5String (emailAddress, domainComponent).</summary>
        private static bool IsTextType(DerStringBase value) =>
            value is DerUtf8String || value is DerPrintableString || value is DerBmpString || value is DerUniversalString || value is DerT61String || value is DerIA5String;

        private string? Attribute(DerObjectIdentifier oid) => SubjectAttributes.TryGetValue(oid, out var value) ? value : null;

        /// <summary>
        /// The DNS and IP entries of the request's subjectAltName: each name must be a right one (InvalidDnsName,
        /// InvalidIpAddress, …), a subjectAltName a list of names (CsrExtensionInvalid), and there may be at most
        /// <see cref="CertificateNames.MaxNames"/> (TooManyNames). Other kinds of name do not belong in a server certificate.
        /// </summary>
        private static IReadOnlyList<SubjectAlternativeName> ReadNames(X509Extensions? extensionRequest, string source)
        {
            var san = extensionRequest?.GetExtension(X509Extensions.SubjectAlternativeName);
            if (san == null) return Array.Empty<SubjectAlternativeName>();
            try
            {
                return CertificateNames.ServerNames(Asn1Sequence.GetInstance(san.GetParsedValue()), source);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw ExtensionInvalid(source, Messages.ReasonSubjectAltNameNotNames);
            }
        }

        /// <summary>
        /// The request's extensionRequest, if it has one: the attribute must be there once with one value, a list of
        /// extensions, each extension once (CsrExtensionInvalid).
        /// </summary>
        private static X509Extensions? ExtensionRequest(CertificationRequestInfo info, string source)
        {
            if (info.Attributes == null) return null;
            X509Extensions? extensions = null;
            foreach (var element in info.Attributes)
            {
                var attribute = AttributePkcs.GetInstance(element);
                if (!attribute.AttrType.Equals(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest)) continue;
                if (extensions != null || attribute.AttrValues.Count != 1)
                {
                    throw ExtensionInvalid(source, Messages.ReasonExtensionRequestRepeated);
                }
                extensions = Extensions(attribute.AttrValues[0], source);
            }
            return extensions;
        }

        /// <summary>The extensionRequest's value: a SEQUENCE of Extension, no extension twice.</summary>
        private static X509Extensions Extensions(Asn1Encodable value, string source)
        {
            if (!(value is Asn1Sequence list))
            {
                throw ExtensionInvalid(source, Messages.ReasonExtensionRequestNotList.Format(TypeName(value)));
            }
            var seen = new HashSet<DerObjectIdentifier>();
            foreach (var element in list)
            {
                DerObjectIdentifier oid;
                try
                {
                    var fields = Asn1Sequence.GetInstance(element);
                    if (fields.Count < 2 || fields.Count > 3) throw new ArgumentException(Messages.ReasonExtensionMalformed);
                    oid = DerObjectIdentifier.GetInstance(fields[0]);
                    if (fields.Count == 3) DerBoolean.GetInstance(fields[1]);
                    Asn1OctetString.GetInstance(fields[fields.Count - 1]);
                }
                catch (Exception e) when (Malformed.Is(e))
                {
                    throw ExtensionInvalid(source, Messages.ReasonExtensionMalformed);
                }
                if (!seen.Add(oid)) throw ExtensionInvalid(source, Messages.ReasonExtensionRepeated.Format(oid.Id));
            }
            return X509Extensions.GetInstance(list);
        }

        /// <summary>An ASN.1 value's type as a message names it: INTEGER, OCTET STRING, SEQUENCE, …</summary>
        private static string TypeName(Asn1Encodable value) => value.ToAsn1Object() switch
        {
            DerInteger _ => "INTEGER",
            Asn1OctetString _ => "OCTET STRING",
            DerBitString _ => "BIT STRING",
            Asn1Sequence _ => "SEQUENCE",
            Asn1Set _ => "SET",
            DerObjectIdentifier _ => "OBJECT IDENTIFIER",
            DerBoolean _ => "BOOLEAN",
            Asn1Null _ => "NULL",
            Asn1TaggedObject tagged => "[" + tagged.TagNo.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]",
            var other => other.GetType().Name,
        };

        private static PkiException ExtensionInvalid(string source, string reason) =>
            new PkiException(ErrorIds.CsrExtensionInvalid, PkiErrorKind.InvalidData, source, Messages.CsrExtensionInvalid.Format(source, reason));
    }
}
