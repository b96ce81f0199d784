using System;
using System.Collections.Generic;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// The orders of the store as files (see <see cref="StoreLayout"/>): a numbered record each, with the copy of the CSR
    /// the order is finalized with. Reading, adding, saving what the certificate authority said, and removing.
    /// </summary>
    internal sealed class OrderRepository
    {
        private readonly PkiStore _store;

        public OrderRepository(PkiStore store)
        {
            _store = store;
        }

        public string StorePath => _store.Root;

        private NumberedRecords<OrderRecord> Records => new NumberedRecords<OrderRecord>(_store, StoreLayout.OrderFolder,
            id => new PkiException(ErrorIds.OrderNotFound, PkiErrorKind.ObjectNotFound, id, Messages.OrderNotFound.Format(id, _store.Root)),
            (id, record) => record.Id != id || !Uri.TryCreate(record.OrderUrl, UriKind.Absolute, out _) || !Uri.TryCreate(record.Server, UriKind.Absolute, out _)
                ? Messages.ReasonOrderRecordInvalid : null);

        /// <summary>The order, or OrderNotFound, or StoreRecordCorrupt.</summary>
        public OrderRecord Load(int id) => Records.Load(id);

        /// <summary>Every order that can be read, by id; damaged records go to <paramref name="problems"/>.</summary>
        public List<OrderRecord> LoadAll(List<PkiException> problems) => Records.LoadAll(problems);

        /// <summary>Keeps a new order under the next id, with the CSR it will be finalized with.</summary>
        public void Add(OrderRecord record, byte[] csrDer, CancellationToken cancellation)
        {
            _store.EnsureCreated(StoreLayout.OrderFolder);
            using (_store.Lock(cancellation))
            {
                record.Id = Records.NextId();
                Records.Write(record.Id, record, new[]
                {
                    new KeyValuePair<string, byte[]>(StoreLayout.OrderCsr(record.Id), PkiStore.Utf8(Pem.Encode(Pem.CertificateRequestLabel, csrDer))),
                }, isNew: true);
            }
        }

        /// <summary>Writes what the network told about an order, keeping a certificate another session stored meanwhile.</summary>
        public void Save(OrderRecord record)
        {
            using (_store.Lock(CancellationToken.None))
            {
                var current = Load(record.Id);
                record.CertificateIdentifier ??= current.CertificateIdentifier;
                record.CertificateNotAfter ??= current.CertificateNotAfter;
                record.ReplacedByOrderId ??= current.ReplacedByOrderId;
                Records.Write(record.Id, record, Array.Empty<KeyValuePair<string, byte[]>>(), isNew: false);
            }
        }

        /// <summary>Records on an order that another one renewed its certificate.</summary>
        public void MarkReplaced(int orderId, int replacedBy)
        {
            using (_store.Lock(CancellationToken.None))
            {
                var record = Load(orderId);
                record.ReplacedByOrderId = replacedBy;
                Records.Write(orderId, record, Array.Empty<KeyValuePair<string, byte[]>>(), isNew: false);
            }
        }

        /// <summary>
        /// Deletes the order and its CSR copy; OrderRemoveFailed, with nothing removed, when the record cannot be deleted.
        /// Returns the order as it was, or null when the record was too damaged to read.
        /// </summary>
        public OrderRecord? Remove(int orderId, CancellationToken cancellation) =>
            // An orphaned copy of a CSR harms nothing once the order is gone.
            Records.Remove(orderId, r => r, new[] { StoreLayout.OrderCsr(orderId) }, filesBestEffort: true,
                e => new PkiException(ErrorIds.OrderRemoveFailed, PkiErrorKind.PermissionDenied, orderId,
                    Messages.OrderRemoveFailed.Format(orderId, _store.Root, e.InnerException?.Message ?? e.Message), e),
                cancellation);

        /// <summary>The full path of an order's CSR copy, for messages.</summary>
        public string CsrFile(int id) => _store.FullPath(StoreLayout.OrderCsr(id));

        public byte[] ReadCsr(int id)
        {
            try
            {
                return Pem.Decode(_store.ReadText(StoreLayout.OrderCsr(id)), Pem.CertificateRequestLabel);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.InvalidPem)
            {
                throw _store.Corrupt(StoreLayout.OrderCsr(id), e.Message, e);
            }
        }
    }
}
