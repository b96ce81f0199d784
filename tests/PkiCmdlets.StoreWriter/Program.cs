using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

// A second process for the store tests.
// Usage: PkiCmdlets.StoreWriter <store> <count> <name-prefix>
//          creates <count> P-256 CSRs and prints each id it was given, one per line;
//        PkiCmdlets.StoreWriter issue <store> <count> <issuer> <csr-file>
//          issues <count> certificates from the CSR and prints each serial number, one per line;
//        PkiCmdlets.StoreWriter crash <store> <issuer> <csr-file> <crl-folder> <seed> [<seam> <probability>]
//          the kill -9 campaign's worker: issues, revokes and publishes CRLs until it is killed, printing each item the
//          moment the store returned it ("issued <identifier> <serial>", "revoked <identifier>", "crl <number> <sha256>");
//          with a seam (rename, flush or synced) it kills itself with SIGKILL at that store write, with that probability;
//        PkiCmdlets.StoreWriter key-memory <store> <ca> <password> <complement-hex>
//          unlocks the CA, signs a CRL with it, and prints how many copies of its private scalar its own memory holds
//          ("unlocked <n>"), then locks it, collects garbage and prints them again ("locked <n>"). The scalar is given as
//          its bitwise complement, so that neither the arguments nor the needle are copies of it.
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
if (args.Length >= 6 && args[0] == "crash")
{
    return Crash(args);
}
if (args.Length == 5 && args[0] == "key-memory")
{
    return KeyMemory(args);
}
if (args.Length != 3 || !int.TryParse(args[1], out var count))
{
    Console.Error.WriteLine("usage: PkiCmdlets.StoreWriter <store> <count> <name-prefix> | issue <store> <count> <issuer> <csr-file> | crash <store> <issuer> <csr-file> <crl-folder> <seed> [<seam> <probability>] | key-memory <store> <ca> <password> <complement-hex>");
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

static int Crash(string[] args)
{
    var store = new PkiStore(args[1]);
    var issuer = new CaIdentity(args[2]);
    var csr = File.ReadAllText(args[3]);
    var random = new Random(int.Parse(args[5], CultureInfo.InvariantCulture));
    if (args.Length == 8)
    {
        var seam = args[6];
        var probability = double.Parse(args[7], CultureInfo.InvariantCulture);
        void MaybeDie(string where, string path)
        {
            if (where != seam || random.NextDouble() >= probability) return;
            Console.WriteLine($"dying {where} {path}");
            Process.GetCurrentProcess().Kill(); // SIGKILL on Unix: no finally block, no flush, as kill -9
        }
        AtomicFile.BeforeRename = path => MaybeDie("rename", path);
        Journal.BeforeFlush = path => MaybeDie("flush", path);
        FolderSync.Synced = path => MaybeDie("synced", path);
    }
    var certificates = new CertificateService(store);
    var crls = new CrlService(store);
    var mine = new List<string>();
    Console.WriteLine("ready");
    for (var round = 0; ; round++)
    {
        using (var batch = certificates.BeginBatch())
        {
            for (var i = random.Next(1, 4); i > 0; i--) batch.Add(new NewCertificateRequest { Csr = csr, Issuer = issuer });
            foreach (var issued in batch.Commit())
            {
                Console.WriteLine($"issued {issued.Identifier} {issued.SerialNumber}");
                mine.Add(issued.Identifier);
            }
        }
        if (random.Next(2) == 0)
        {
            var identifier = mine[random.Next(mine.Count)];
            mine.Remove(identifier);
            foreach (var revoked in certificates.RevokeMany(new[] { identifier }, RevocationReason.KeyCompromise).Items)
            {
                Console.WriteLine($"revoked {revoked.Identifier}");
            }
        }
        if (random.Next(3) == 0)
        {
            var path = Path.Combine(args[4], $"{Environment.ProcessId}-{round}.crl");
            var crl = crls.Publish(new PublishCrlRequest { Issuer = issuer, Path = path });
            Console.WriteLine($"crl {crl.CrlNumber} {Convert.ToHexString(SHA256.HashData(crl.Der))}");
        }
    }
}

static int KeyMemory(string[] args)
{
    var store = new PkiStore(args[1]);
    var ca = new CaIdentity(args[2]);
    var password = new System.Security.SecureString();
    foreach (var c in args[3]) password.AppendChar(c);
    var complement = Convert.FromHexString(args[4]);
    var cas = new CaService(store);
    cas.Unlock(ca, password, TimeSpan.FromMinutes(5));
    new CrlService(store).Publish(new PublishCrlRequest { Issuer = ca });
    Collect();
    Console.WriteLine($"unlocked {MemoryScan.Count(complement)}");
    cas.Lock(ca);
    Collect();
    Console.WriteLine($"locked {MemoryScan.Count(complement)}");
    return 0;
}

static void Collect()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
}
