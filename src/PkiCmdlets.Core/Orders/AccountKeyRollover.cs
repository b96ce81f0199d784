using System;
using System.Threading;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Changes the key of the store's account at one server (RFC 8555 §7.3.5). The new key is kept beside the old one
    /// first, the server is told, and only then does the new key replace the old one; a change stopped part-way (the
    /// process killed while the server was answering) is finished the next time, by asking the server which key it knows.
    /// </summary>
    internal sealed class AccountKeyRollover
    {
        private readonly PkiStore _store;
        private readonly AcmeAccountStore _accounts;
        private readonly AcmeOptions _options;
        private readonly Func<DateTimeOffset> _clock;

        public AccountKeyRollover(PkiStore store, AcmeAccountStore accounts, AcmeOptions options, Func<DateTimeOffset> clock)
        {
            _store = store;
            _accounts = accounts;
            _options = options;
            _clock = clock;
        }

        public AcmeAccountInfo Change(string? server, bool skipCertificateCheck, OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            var directory = AcmeServer.Resolve(string.IsNullOrWhiteSpace(server) ? SubmitPlanner.DefaultServer : server);
            FinishInterrupted(directory, skipCertificateCheck, callbacks, cancellation);
            using (var account = Account(directory))
            {
                using var newKey = PrivateKey.Generate(AcmeAccountStore.KeySpec);
                _accounts.KeepNewKey(account, newKey, cancellation);
                try
                {
                    CallerThread.Run(callbacks, async relay =>
                    {
                        relay.Report(Messages.ProgressChangingAccountKey.Format(directory));
                        using var client = new AcmeClient(directory, account.Key!, _options.For(skipCertificateCheck, relay)) { AccountUrl = account.Url };
                        await client.ChangeKeyAsync(newKey, cancellation).ConfigureAwait(false);
                        return true;
                    });
                }
                catch (PkiException e) when (e.ErrorId != ErrorIds.OperationCancelled && e.ErrorId != ErrorIds.AcmeServerUnreachable)
                {
                    // The server answered no: the old key is still the account's.
                    _accounts.DropNewKey(account, cancellation);
                    throw;
                }
                _accounts.CommitNewKey(account, _clock(), cancellation);
            }
            using var changed = Account(directory);
            return Output(changed);
        }

        /// <summary>A key change left unfinished: the server knows the account by the new key (then it is kept) or by the old one (then it goes).</summary>
        private void FinishInterrupted(Uri directory, bool skipCertificateCheck, OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            using var account = Account(directory);
            using var newKey = _accounts.NewKey(account);
            if (newKey == null) return;
            var known = CallerThread.Run(callbacks, async relay =>
            {
                using var client = new AcmeClient(directory, newKey, _options.For(skipCertificateCheck, relay));
                try
                {
                    return (await client.FindAccountAsync(cancellation).ConfigureAwait(false)).Url == account.Url;
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.AcmeAccountNotFound)
                {
                    return false;
                }
            });
            if (known) _accounts.CommitNewKey(account, _clock(), cancellation);
            else _accounts.DropNewKey(account, cancellation);
        }

        private StoredAccount Account(Uri directory) =>
            _accounts.Find(directory)
            ?? throw new PkiException(ErrorIds.AcmeAccountNotFound, PkiErrorKind.ObjectNotFound, directory.AbsoluteUri,
                Messages.AcmeAccountNotInStore.Format(directory, _store.Root));

        private AcmeAccountInfo Output(StoredAccount account) => new AcmeAccountInfo
        {
            Server = account.Record.DirectoryUrl,
            AccountUrl = account.Url.AbsoluteUri,
            KeyAlgorithm = account.Record.KeyAlgorithm,
            KeyThumbprint = Jwk.For(account.Key!).Thumbprint,
            Contact = account.Record.Contact.ToArray(),
            CreatedAt = account.Record.CreatedAt,
            KeyChangedAt = account.Record.KeyChangedAt,
            StorePath = _store.Root,
        };
    }
}
