using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

// A second process for the concurrency tests.
// Usage: PkiCmdlets.StoreWriter <store> <count> <name-prefix>
//          creates <count> P-256 CSRs and prints each id it was given, one per line;
//        PkiCmdlets.StoreWriter issue <store> <count> <issuer> <csr-file>
//          issues <count> certificates from the CSR and prints each serial number, one per line.
if (args.Length == 5 && args[0] == "issue" && int.TryParse(args[2], out var certificates))
{
    var issuing = new CertificateService(new PkiStore(args[1]));
    var csr = File.ReadAllText(args[4]);
    for (var i = 0; i < certificates; i++)
    {
        // One command per certificate, as New-ServerCertificate without a pipeline: a batch of one, committed at once.
        using var batch = issuing.BeginBatch();
        batch.Add(new NewCertificateRequest { Csr = csr, Issuer = new CaIdentity(args[3]) });
        Console.WriteLine(batch.Commit()[0].SerialNumber);
    }
    return 0;
}
if (args.Length != 3 || !int.TryParse(args[1], out var count))
{
    Console.Error.WriteLine("usage: PkiCmdlets.StoreWriter <store> <count> <name-prefix> | issue <store> <count> <issuer> <csr-file>");
    return 2;
}

var service = new CsrService(new PkiStore(args[0]));
for (var i = 0; i < count; i++)
{
    var created = service.Create(new NewCsrRequest
    {
        CommonName = $"{args[2]}-{i}.example.com",
        Algorithm = "ECC_256",
        Name = $"{args[2]}-{i}",
    });
    Console.WriteLine(created.Id);
}
return 0;
