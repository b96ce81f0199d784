using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>The parameters of Export-CA.</summary>
    public sealed class ExportCaRequest
    {
        public CaIdentity? Authority { get; set; }
        /// <summary>Pem: the certificate (and the chain above it) at <see cref="Path"/>; Pfx: certificate, chain and key, protected by <see cref="Password"/>.</summary>
        public ExportFormat Format { get; set; }
        public string Path { get; set; } = string.Empty;
        /// <summary>PEM only: the CA's key file as the store keeps it (encrypted with the CA's key password unless it was made without one).</summary>
        public string? KeyPath { get; set; }
        /// <summary>The CAs above it, up to and with the root.</summary>
        public bool IncludeChain { get; set; }
        /// <summary>A PEM file of the latest CRL the store keeps for the CA, and with <see cref="IncludeChain"/> for every CA above it.</summary>
        public string? CrlPath { get; set; }
        /// <summary>The PFX's password.</summary>
        public SecureString? Password { get; set; }
        /// <summary>The CA key's password, for a PFX (or Unlock-CA beforehand).</summary>
        public SecureString? KeyPassword { get; set; }
        public bool Force { get; set; }
    }

    /// <summary>
    /// Writes a CA out: its certificate for those who trust it, its chain's CRLs for a server that checks client
    /// certificates, and, for a backup that Import-CA takes back, its key (the store's key file as it is, or a PFX).
    /// </summary>
    public sealed class CaExportService
    {
        private readonly CaService _cas;

        public CaExportService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal CaExportService(CaService cas)
        {
            _cas = cas;
        }

        /// <summary>What makes an export fail whatever the CA: the format and its options, the passwords, and the files.</summary>
        public static void Check(ExportCaRequest request)
        {
            if (request.Format == ExportFormat.Der)
            {
                throw new PkiException(ErrorIds.ExportFormatConflict, PkiErrorKind.InvalidArgument, request.Format, Messages.ExportCaFormatDer);
            }
            if (request.Format == ExportFormat.Pfx && request.KeyPath != null)
            {
                throw new PkiException(ErrorIds.ExportFormatConflict, PkiErrorKind.InvalidArgument, request.Format, Messages.ExportFormatConflict.Format("PFX", "-KeyPath"));
            }
            if (request.Format == ExportFormat.Pfx && request.Password == null)
            {
                throw new PkiException(ErrorIds.PfxPasswordRequired, PkiErrorKind.InvalidArgument, null, Messages.PfxPasswordRequired);
            }
            if (request.Password != null && request.Password.Length == 0)
            {
                throw new PkiException(ErrorIds.KeyPasswordEmpty, PkiErrorKind.InvalidArgument, null, Messages.ExportPfxPasswordEmpty);
            }
            var paths = new[] { request.Path, request.KeyPath, request.CrlPath }.Where(p => p != null).Select(p => p!).ToList();
            var repeated = paths.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated != null)
            {
                throw new PkiException(ErrorIds.ExportPathRepeated, PkiErrorKind.InvalidArgument, repeated.Key, Messages.ExportPathRepeated.Format(repeated.Key));
            }
            foreach (var path in paths) OutputFile.RequireNewOrForced(path, request.Force);
        }

        /// <summary>Writes the files and returns their paths, -Path first; everything is checked before anything is written.</summary>
        public IReadOnlyList<string> Export(ExportCaRequest request)
        {
            Check(request);
            var authority = _cas.Load(request.Authority ?? throw new ArgumentException("Authority is required", nameof(request)));
            var chain = request.IncludeChain ? _cas.Repository.Chain(authority) : new[] { authority };
            var files = new List<(string Path, byte[] Content, int Mode)>();
            if (request.CrlPath != null)
            {
                var crls = new CrlService(_cas);
                var text = string.Concat(chain.Select(c => crls.Latest(c.Record.Id)
                    ?? throw new PkiException(ErrorIds.CaCrlMissing, PkiErrorKind.ObjectNotFound, c.Record.Name, Messages.CaCrlMissing.Format(c.Record.Name))));
                files.Add((request.CrlPath, PkiStore.Utf8(text), OutputFile.PublicMode));
            }
            if (request.Format == ExportFormat.Pfx)
            {
                using var key = _cas.Keys.Open(authority, request.KeyPassword);
                var pkcs8 = key.ExportPkcs8();
                try
                {
                    files.Insert(0, (request.Path, Pkcs12Writer.Write(chain.Select(c => c.Der).ToList(), pkcs8, request.Password!, PfxEncryption.Aes256Sha256, authority.Record.Name),
                        OutputFile.SecretMode));
                }
                finally
                {
                    Array.Clear(pkcs8, 0, pkcs8.Length);
                }
            }
            else
            {
                files.Insert(0, (request.Path, PkiStore.Utf8(string.Concat(chain.Select(c => Pem.Encode(Pem.CertificateLabel, c.Der)))), OutputFile.PublicMode));
                if (request.KeyPath != null)
                {
                    CaKeys.RequireKey(authority.Record);
                    files.Insert(1, (request.KeyPath, PkiStore.Utf8(_cas.Store.ReadText(StoreLayout.CaKey(authority.Record.Id))), OutputFile.SecretMode));
                }
            }
            foreach (var file in files) OutputFile.Write(file.Path, file.Content, file.Mode);
            return files.Select(f => f.Path).ToList();
        }
    }
}
