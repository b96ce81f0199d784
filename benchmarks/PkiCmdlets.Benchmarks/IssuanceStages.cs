using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

/// <summary>
/// Section stages (not in the default run): where the time of one certificate goes, stage by stage, per family. It
/// replays IssuanceBatch.Add and Commit from CSR files one step at a time with the core's own pieces, timing each step
/// of each certificate, and prints the median µs per certificate of every stage (the mean too: it carries the
/// garbage collections), next to the real Add and Commit timed the same way over the same files, so a gap shows what
/// the replay missed. Then the real Add on two threads (a batch each) against one: what verifying and signing in
/// parallel inside a batch could give. The replay follows the core's code as it is; when the core changes, so must it.
/// </summary>
internal static class IssuanceStages
{
    private static readonly string[] Stages =
    {
        "read the CSR file",
        "PEM to DER (UTF-8, base64)",
        "CSR parse (BouncyCastle ASN.1)",
        "public key read (SPKI, RSA checks / EC point)",
        "public key import into .NET (without libcrypto)",
        "request info re-encoded for the check",
        "CSR signature verify",
        "CSR subject and SANs read",
        "request, profile, RequireCurrent, CheckKey",
        "names, subject, constraints, validity",
        "record: serial, CSR-id lookup, X500 name",
        "TBS build (extensions, SKI, AKI, DER)",
        "sign",
        "certificate frame + SHA-1 thumbprint",
        "journal line (JSON + base64)",
    };

    public static void Run(IReadOnlyList<int> numbers)
    {
        var count = numbers.Count > 0 ? numbers[0] : 1000;
        var passes = numbers.Count > 1 ? numbers[1] : 3;
        Console.WriteLine($"Per-certificate stages of piped issuance from {count} CSR files per family, {passes} passes, median µs (mean µs); " +
            "the stages replay IssuanceBatch.Add and Commit one step at a time");
        var algorithms = FamilyFilter.Apply(FamilyFilter.All, a => a).ToList();
        var results = algorithms.Select(a => Measure(a, count, passes)).ToList();
        var table = new Table(new[] { ("µs per certificate", 46) }.Concat(algorithms.Select(a => (a, 15))).ToArray());
        for (var i = 0; i < Stages.Length; i++) table.Row(new[] { Stages[i] }.Concat(results.Select(r => Cell(r.Stages[i]))).ToArray());
        table.Row(new[] { "sum of the stages above" }.Concat(results.Select(r => $"{r.Stages.Sum(s => Median(s)):F0} ({r.Stages.Sum(s => s.Average()):F0})")).ToArray());
        table.Row(new[] { "real IssuanceBatch.Add" }.Concat(results.Select(r => Cell(r.Add))).ToArray());
        table.Row(new[] { "real Commit, per certificate (batches of 256)" }.Concat(results.Select(r => Cell(r.Commit))).ToArray());
        table.Row(new[] { "  of which journal append + fsync" }.Concat(results.Select(r => Cell(r.Append))).ToArray());
        table.Row(new[] { "X509Certificate2 from the DER (not on the path)" }.Concat(results.Select(r => Cell(r.X509))).ToArray());
        table.Row(new[] { "CsrContent.FromTextOrFile (stages 1-8, real)" }.Concat(results.Select(r => Cell(r.CsrContent))).ToArray());
        table.Row(new[] { "real Add, 2 threads / 1 thread: throughput" }.Concat(results.Select(r => $"×{r.TwoThreads.Throughput:F2}")).ToArray());
        table.Row(new[] { "real Add, 2 threads / 1 thread: CPU per cert" }.Concat(results.Select(r => $"×{r.TwoThreads.CpuPerCertificate:F2}")).ToArray());
        table.Row(new[] { "process CPU / wall during the 1-thread Adds" }.Concat(results.Select(r => $"{r.Cores:F2}")).ToArray());
    }

    private sealed record Result(List<double>[] Stages, List<double> Add, List<double> Commit, List<double> Append, List<double> X509,
        List<double> CsrContent, (double Throughput, double CpuPerCertificate) TwoThreads, double Cores);

    private static Result Measure(string algorithm, int count, int passes)
    {
        using var temp = new TempStore();
        temp.CreateIntermediate(algorithm);
        var files = CsrFiles.Create(Path.Combine(temp.Root, "csrs"), algorithm, count);
        var cas = new CaService(temp.Store);
        var authority = cas.Repository.Load(cas.Repository.Resolve(new CaIdentity("Sub")));
        var chain = cas.Repository.Chain(authority);
        using var key = cas.Keys.Open(authority.Record, null);
        var csrIds = new CsrService(temp.Store).PublicKeyLookup();
        var service = new CertificateService(temp.Store);

        var stages = Stages.Select(_ => new List<double>(count * passes)).ToArray();
        var x509 = new List<double>(count * passes);
        var csrContent = new List<double>(count * passes);
        var add = new List<double>(count * passes);
        var commit = new List<double>();
        var append = new List<double>();
        // Warm-up: every path run often enough for the JIT's tier 1, and the time for its background compiles to finish.
        Replay(files, authority, chain, key, csrIds, cas.Now, Stages.Select(_ => new List<double>()).ToArray(), new List<double>());
        using (var warmUp = service.BeginBatch())
        {
            foreach (var file in files.Take(Math.Min(200, count))) warmUp.Add(Request(file));
        }
        Thread.Sleep(500);
        double cores = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            GC.Collect();
            Replay(files, authority, chain, key, csrIds, cas.Now, stages, x509);
            foreach (var file in files)
            {
                var start = Stopwatch.GetTimestamp();
                CsrContent.FromTextOrFile(null, file);
                csrContent.Add(Microseconds(start));
            }
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            using (var batch = service.BeginBatch())
            {
                foreach (var file in files)
                {
                    var start = Stopwatch.GetTimestamp();
                    batch.Add(Request(file));
                    add.Add(Microseconds(start));
                    if (batch.IsFull || file == files[^1])
                    {
                        var size = batch.Count;
                        start = Stopwatch.GetTimestamp();
                        batch.Commit();
                        commit.Add(Microseconds(start) / size);
                    }
                }
            }
            cores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / wall.Elapsed.TotalSeconds;
            append.AddRange(JournalAppend(temp.Store, files.Count));
        }
        return new Result(stages, add, commit, append, x509, csrContent, TwoThreads(service, files), cores);
    }

    /// <summary>IssuanceBatch.Add's work for each file, one step at a time, each step's µs added to its list.</summary>
    private static void Replay(IReadOnlyList<string> files, StoredCa authority, IReadOnlyList<StoredCa> chain, PrivateKey key,
        Func<byte[], int?> csrIds, DateTimeOffset now, List<double>[] stages, List<double> x509)
    {
                var issuer = new CertificateBuilder.Issuer(authority.Certificate.Subject, authority.SubjectPublicKeyInfo, key);
        foreach (var file in files)
        {
            var lap = Stopwatch.GetTimestamp();
            void Done(int stage)
            {
                var end = Stopwatch.GetTimestamp();
                stages[stage].Add(Stopwatch.GetElapsedTime(lap, end).TotalMicroseconds);
                lap = end;
            }

            var bytes = File.ReadAllBytes(file);
            Done(0);
            var der = Pem.Decode(PkiStore.FromUtf8(bytes).Trim(), Pem.CertificateRequestLabel);
            Done(1);
            var request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(der));
            var info = request.GetCertificationRequestInfo();
            Done(2);
            var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(info.SubjectPublicKeyInfo.GetDerEncoded(), file);
            Done(3);
            if (!LibCryptoVerifier.IsAvailable) _ = publicKey.NativeKey;
            Done(4);
            var signatureAlgorithm = request.SignatureAlgorithm.GetDerEncoded();
            var toBeChecked = info.GetDerEncoded();
            var signature = request.Signature.GetOctets();
            Done(5);
            if (!publicKey.Verify(signatureAlgorithm, toBeChecked, signature)) throw new InvalidOperationException("CSR signature did not verify");
            Done(6);
            var subjectAttributes = new Dictionary<DerObjectIdentifier, string>();
            var oids = info.Subject.GetOidList();
            var values = info.Subject.GetValueList();
            for (var i = 0; i < oids.Count; i++) subjectAttributes.TryAdd(oids[i], (string)values[i]);
            X509Extensions? extensionRequest = null;
            foreach (var element in info.Attributes)
            {
                var attribute = AttributePkcs.GetInstance(element);
                if (attribute.AttrType.Equals(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest)) extensionRequest = X509Extensions.GetInstance(attribute.AttrValues[0]);
            }
            var csrNames = CertificateNames.ServerNames(extensionRequest, file);
            var csr = new CsrContent(der, publicKey, subjectAttributes, csrNames, extensionRequest, file);
            Done(7);
            var asked = IssuanceRequest.FromCsr(Request(file), csr);
            var profile = asked.Profile;
            authority.RequireCurrent(now);
            IssuanceRules.CheckKey(asked, authority);
            Done(8);
            var namesAsked = profile.NamesAsked(asked);
            var subject = IssuanceRules.Subject(asked, authority, namesAsked);
            var names = profile.Covered(subject.CommonName, namesAsked);
            IssuanceRules.CheckNameConstraints(names, chain);
            var validity = ValidityPeriod.ForIssued(asked.Days, asked.Months, asked.Years, asked.NotBefore, asked.NotAfter,
                profile.DefaultLifetime, now, authority.NotBefore, authority.NotAfter);
            var crlUrl = IssuanceRules.CrlUrl(asked, authority);
            var x509Subject = subject.ToX509Name();
            Done(9);
            var record = new IssuedRecord
            {
                Identifier = Hex.Lower(SerialNumber.Generate()),
                CommonName = subject.CommonName,
                DnsNames = names.Where(n => n.Type == SubjectAlternativeNameType.Dns).Select(n => n.Value).ToList(),
                IpAddresses = names.Where(n => n.Type == SubjectAlternativeNameType.IpAddress).Select(n => n.Value).ToList(),
                Algorithm = publicKey.Description,
                NotBefore = validity.NotBefore,
                NotAfter = validity.NotAfter,
                CsrId = csrIds(publicKey.SubjectPublicKeyInfo),
                Profile = profile.Name,
            };
            record.Subject = new X500DistinguishedName(x509Subject.GetDerEncoded()).Name;
            var serial = SerialNumber.Generate();
            Done(10);
            // CertificateBuilder.Issued and its Sign, without the signature; the issuer object is the batch's, made once.
            var spki = publicKey.SubjectPublicKeyInfo;
            var extensions = new X509ExtensionsGenerator();
            profile.AddExtensions(extensions, publicKey, names);
            extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, KeyIdentifier.OfSubject(spki));
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, issuer.AuthorityKeyIdentifier);
            var algorithm = issuer.SignatureAlgorithm;
            var tbs = new V3TbsCertificateGenerator();
            tbs.SetSerialNumber(new DerInteger(new Org.BouncyCastle.Math.BigInteger(1, serial)));
            tbs.SetSignature(algorithm);
            tbs.SetIssuer(issuer.Name);
            tbs.SetStartDate(new Time(validity.NotBefore.UtcDateTime));
            tbs.SetEndDate(new Time(validity.NotAfter.UtcDateTime));
            tbs.SetSubject(x509Subject);
            tbs.SetSubjectPublicKeyInfo(SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(spki)));
            tbs.SetExtensions(extensions.Generate());
            var toBeSigned = tbs.GenerateTbsCertificate().GetDerEncoded();
            Done(11);
            var certificateSignature = issuer.Key.Sign(toBeSigned);
            Done(12);
            var certificate = SignedDer.Frame(toBeSigned, algorithm, certificateSignature);
            record.SerialNumber = SerialNumber.ToHex(serial);
            using (var sha1 = SHA1.Create()) record.Thumbprint = Hex.Lower(sha1.ComputeHash(certificate)).ToUpperInvariant();
            Done(13);
            var json = PkiStore.JsonLine(new JournalEntry { Op = JournalEntry.Issued, Certificate = record });
            var base64 = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(certificate));
            var line = new byte[json.Length + 1 + base64.Length];
            Buffer.BlockCopy(json, 0, line, 0, json.Length);
            Buffer.BlockCopy(base64, 0, line, json.Length + 1, base64.Length);
            Done(14);
            // The constructor IssuedCertificate.Certificate calls (netstandard2.0 has no X509CertificateLoader).
#pragma warning disable SYSLIB0057
            using (new X509Certificate2(certificate)) x509.Add(Stopwatch.GetElapsedTime(lap).TotalMicroseconds);
#pragma warning restore SYSLIB0057
        }
    }

    /// <summary>
    /// The durable write alone, per certificate: lines of a journal's size (2 KB, like an issue line) appended in groups
    /// of IssuanceBatch.PreferredSize and flushed to disk, as Journal.Append does, in a scratch file of the store's folder.
    /// </summary>
    private static IEnumerable<double> JournalAppend(PkiStore store, int count)
    {
        var path = Path.Combine(store.Root, "scratch.journal");
        var line = new byte[2048];
        line[^1] = (byte)'\n';
        var times = new List<double>();
        for (var done = 0; done < count; done += IssuanceBatch.PreferredSize)
        {
            var size = Math.Min(IssuanceBatch.PreferredSize, count - done);
            var start = Stopwatch.GetTimestamp();
            using (var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete))
            {
                stream.Seek(0, SeekOrigin.End);
                var buffer = new MemoryStream();
                for (var i = 0; i < size; i++) buffer.Write(line, 0, line.Length);
                buffer.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            times.Add(Microseconds(start) / size);
        }
        File.Delete(path);
        return times;
    }

    /// <summary>
    /// The real Add on two threads (a batch each, half the files each) against one thread on all the files: the throughput
    /// ratio, which needs the second core to be free, and the ratio of CPU time per certificate, which shows contention
    /// (locks, garbage collection) even on a busy machine.
    /// </summary>
    private static (double Throughput, double CpuPerCertificate) TwoThreads(CertificateService service, IReadOnlyList<string> files)
    {
        (double Rate, double Cpu) Run(int threads)
        {
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                using var batch = service.BeginBatch();
                for (var i = t; i < files.Count; i += threads) batch.Add(Request(files[i]));
            });
            return (files.Count / clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / files.Count);
        }
        var one = Enumerable.Range(0, 3).Select(_ => Run(1)).ToList();
        var two = Enumerable.Range(0, 3).Select(_ => Run(2)).ToList();
        return (two.Max(r => r.Rate) / one.Max(r => r.Rate), two.Min(r => r.Cpu) / one.Min(r => r.Cpu));
    }

    private static NewCertificateRequest Request(string csrPath) => new() { CsrPath = csrPath, Issuer = new CaIdentity("Sub"), Days = 365 };

    private static double Microseconds(long start) => Stopwatch.GetElapsedTime(start).TotalMicroseconds;

    private static double Median(List<double> values) => Timing.Median(values.Order().ToList());

    private static string Cell(List<double> values) => values.Count == 0 ? "" : $"{Median(values):F1} ({values.Average():F1})";
}
