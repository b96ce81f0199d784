using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Checks a Submit-CertificateOrder request before the first request to the certificate authority: the CSR (its
    /// signature and key), the domains it covers, the validation method and web root, the server, the contact and the
    /// external account binding. Then, with the server's directory, the profile asked for.
    /// </summary>
    internal static class SubmitPlanner
    {
        public const string DefaultServer = "LetsEncrypt";

        /// <summary>The checked request; <paramref name="csrIdOf"/> finds the store's CSR of a public key (SubjectPublicKeyInfo), if any.</summary>
        public static SubmitPlan Plan(SubmitCertificateOrderRequest request, Func<byte[], int?> csrIdOf)
        {
            var csr = CsrContent.FromTextOrFile(request.Csr, request.CsrPath);
            var key = csr.PublicKeyInfo;
            KeyPolicy.AcmeOrder.Require(key, "-Csr");
            var domains = Domains(csr);

            var webRoot = string.IsNullOrWhiteSpace(request.WebRoot) ? null : request.WebRoot!;
            var method = ValidationMethods.Parse(request.ValidationMethod) ?? (webRoot != null ? ValidationMethod.Http : ValidationMethod.Dns);
            if (webRoot != null && method != ValidationMethod.Http)
            {
                throw new PkiException(ErrorIds.WebRootRequiresHttp, PkiErrorKind.InvalidArgument, webRoot, Messages.WebRootRequiresHttp.Format(webRoot));
            }
            foreach (var domain in domains)
            {
                if (method == ValidationMethod.Http && domain.Type == SubjectAlternativeNameType.Dns && domain.Value.StartsWith("*.", StringComparison.Ordinal))
                {
                    throw new PkiException(ErrorIds.ValidationMethodNotAllowed, PkiErrorKind.InvalidArgument, domain.Value,
                        Messages.ValidationMethodWildcard.Format(domain.Value));
                }
                if (method == ValidationMethod.Dns && domain.Type == SubjectAlternativeNameType.IpAddress)
                {
                    throw new PkiException(ErrorIds.ValidationMethodNotAllowed, PkiErrorKind.InvalidArgument, domain.Value,
                        Messages.ValidationMethodIpAddress.Format(domain.Value));
                }
            }
            if (webRoot != null) webRoot = WebRoot.Require(webRoot);

            var directory = AcmeServer.Resolve(string.IsNullOrWhiteSpace(request.Server) ? DefaultServer : request.Server);
            string? email = null;
            if (!string.IsNullOrWhiteSpace(request.Email))
            {
                var text = request.Email!.Trim();
                email = NameRules.NormalizeEmail(text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? text.Substring(7) : text);
            }
            return new SubmitPlan(csr, domains, method, directory)
            {
                Email = email,
                Username = Blank(request.Username),
                Phone = Blank(request.Phone),
                Profile = Blank(request.Profile),
                Eab = ExternalAccountBinding(request),
                WebRoot = webRoot,
                SkipCertificateCheck = request.SkipCertificateCheck,
                CsrId = csrIdOf(key.SubjectPublicKeyInfo),
                PreferredChain = Blank(request.PreferredChain),
            };
        }

        /// <summary>The profile name as the server spells it, or AcmeProfileNotOffered; null when none was asked for.</summary>
        public static string? OfferedProfile(AcmeDirectory directory, SubmitPlan plan)
        {
            if (plan.Profile == null) return null;
            if (directory.Profiles.Count == 0)
            {
                throw new PkiException(ErrorIds.AcmeProfileNotOffered, PkiErrorKind.InvalidArgument, plan.Profile,
                    Messages.AcmeNoProfiles.Format(plan.Directory, plan.Profile));
            }
            return directory.Profiles.Keys.FirstOrDefault(p => string.Equals(p, plan.Profile, StringComparison.OrdinalIgnoreCase))
                ?? throw new PkiException(ErrorIds.AcmeProfileNotOffered, PkiErrorKind.InvalidArgument, plan.Profile,
                    Messages.AcmeProfileNotOffered.Format(plan.Directory, plan.Profile, string.Join(", ", directory.Profiles.Keys.OrderBy(k => k, StringComparer.Ordinal))));
        }

        /// <summary>The CSR's common name when it is a DNS name or IP address, then its subjectAltNames: exactly what finalize will ask for.</summary>
        internal static List<SubjectAlternativeName> Domains(CsrContent csr)
        {
            var names = CertificateNames.Covered(csr.CommonName, csr.Names);
            if (names.Count == 0)
            {
                throw new PkiException(ErrorIds.NoServerName, PkiErrorKind.InvalidArgument, csr.CommonName, Messages.OrderNoDomain.Format(csr.CommonName));
            }
            return names;
        }

        private static AcmeExternalAccountBinding? ExternalAccountBinding(SubmitCertificateOrderRequest request)
        {
            var hasKeyId = !string.IsNullOrWhiteSpace(request.EabKeyId);
            var hasMacKey = request.EabHmacKey != null && request.EabHmacKey.Length > 0;
            if (hasKeyId != hasMacKey)
            {
                throw new PkiException(ErrorIds.ExternalAccountBindingIncomplete, PkiErrorKind.InvalidArgument, hasKeyId ? request.EabKeyId : null,
                    Messages.ExternalAccountBindingIncomplete.Format(hasKeyId ? "-EabKeyId" : "-EabHmacKey"));
            }
            if (!hasKeyId) return null;
            var chars = KeyProtection.CopyChars(request.EabHmacKey!);
            try
            {
                return new AcmeExternalAccountBinding(request.EabKeyId!.Trim(), new string(chars));
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
