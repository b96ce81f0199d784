using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

// Usage: PkiCmdlets.StoreWriter <store> <count> <name-prefix>
// Creates <count> P-256 CSRs and prints each id it was given, one per line.
if (args.Length != 3 || !int.TryParse(args[1], out var count))
{
    Console.Error.WriteLine("usage: PkiCmdlets.StoreWriter <store> <count> <name-prefix>");
    return 2;
}

var service = new CsrService(new PkiStore(args[0]));
for (var i = 0; i < count; i++)
{
    var csr = service.Create(new NewCsrRequest
    {
        CommonName = $"{args[2]}-{i}.example.com",
        Algorithm = "ECC_256",
        Name = $"{args[2]}-{i}",
    });
    Console.WriteLine(csr.Id);
}
return 0;
