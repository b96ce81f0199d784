using System.Diagnostics;
using System.Security;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

// Reads each file the way a cmdlet does and prints, one line per file: the file, the ErrorId it was refused with (or
// "accepted"), and the milliseconds it took. Any exception that is not a PkiException is printed as its type, so the
// parent sees it; a file that ends the process shows as a missing line and the exit code.
// Usage: PkiCmdlets.InputProbe <store> <issuer> <kind> <file>...
//   kinds: csr-file and csr-text (issue a server certificate from the request, as New-ServerCertificate -CsrPath and
//   -Csr), certificate:<key file> and key:<certificate file> (Import-CA with PEM files), pfx (Import-CA -PfxPath),
//   crl (Import-Crl).
//   Encrypted files take the password "pw".
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: PkiCmdlets.InputProbe <store> <issuer> <kind> <file>...");
    return 2;
}
var store = args[0];
var issuer = new CaIdentity(args[1]);
var kind = args[2];
var password = new SecureString();
foreach (var c in "pw") password.AppendChar(c);
password.MakeReadOnly();

foreach (var file in args.Skip(3))
{
    var clock = Stopwatch.StartNew();
    string outcome;
    try
    {
        Read(file);
        outcome = "accepted";
    }
    catch (PkiException e)
    {
        outcome = e.ErrorId;
    }
    catch (Exception e)
    {
        outcome = e.GetType().FullName!;
    }
    Console.WriteLine(file + "\t" + outcome + "\t" + clock.ElapsedMilliseconds);
}
return 0;

void Read(string file)
{
    var colon = kind.IndexOf(':');
    var other = colon < 0 ? null : kind[(colon + 1)..];
    switch (colon < 0 ? kind : kind[..colon])
    {
        case "csr-file":
        case "csr-text":
            using (var batch = new CertificateService(new PkiStore(store)).BeginBatch())
            {
                batch.Add(kind == "csr-file"
                    ? new NewCertificateRequest { CsrPath = file, Issuer = issuer }
                    : new NewCertificateRequest { Csr = File.ReadAllText(file), Issuer = issuer });
                batch.Commit();
            }
            break;
        case "certificate":
            Import(new ImportCaRequest { CertificatePath = file, KeyPath = other, KeyFilePassword = password, NoPassword = true });
            break;
        case "key":
            Import(new ImportCaRequest { CertificatePath = other, KeyPath = file, KeyFilePassword = password, NoPassword = true });
            break;
        case "pfx":
            Import(new ImportCaRequest { PfxPath = file, KeyFilePassword = password, NoPassword = true });
            break;
        case "crl":
            new CrlService(new PkiStore(store)).Import(file);
            break;
        default:
            throw new ArgumentException("unknown kind " + kind);
    }
}

void Import(ImportCaRequest request) => new CaImportService(new PkiStore(store)).Import(request);
