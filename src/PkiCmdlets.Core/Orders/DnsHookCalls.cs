using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// The DNS hook at work for one order: it adds the TXT record of each dns-01 challenge not yet valid, and afterwards
    /// removes every record it was asked to add, also when adding or the order failed. Runs on the caller's thread.
    /// </summary>
    internal sealed class DnsHookCalls
    {
        public const string Add = "Add";
        public const string Remove = "Remove";

        private readonly Hook _hook;
        private readonly Action<Hook, IDictionary<string, object?>> _runner;
        private readonly CancellationToken _cancellation;
        private readonly List<OrderChallenge> _asked = new List<OrderChallenge>();

        public DnsHookCalls(Hook hook, Action<Hook, IDictionary<string, object?>> runner, CancellationToken cancellation)
        {
            _hook = hook;
            _runner = runner;
            _cancellation = cancellation;
        }

        /// <summary>The dns-01 challenges of an order that still need their TXT record.</summary>
        public static List<OrderChallenge> Needed(CertificateOrder order) =>
            order.Challenges.Where(c => c.Type == AcmeChallenge.Dns01 && c.RecordName != null && c.RecordValue != null && c.Status != AcmeStatus.Valid).ToList();

        /// <summary>Asks the hook to add each record; the first failure is thrown (records asked for before it are removed by <see cref="RemoveAll"/>).</summary>
        public void AddAll(CertificateOrder order)
        {
            foreach (var challenge in Needed(order))
            {
                _asked.Add(challenge);
                Call(Add, challenge, Messages.HookDoingAddRecord.Format(challenge.RecordName));
            }
        }

        /// <summary>Asks the hook to remove each record it was asked to add; returns what failed, for the caller to report.</summary>
        public List<PkiException> RemoveAll()
        {
            var problems = new List<PkiException>();
            foreach (var challenge in _asked)
            {
                try
                {
                    Call(Remove, challenge, Messages.HookDoingRemoveRecord.Format(challenge.RecordName));
                }
                catch (PkiException e)
                {
                    // Each record gets its chance to go, whatever befell the one before.
                    problems.Add(e);
                }
            }
            _asked.Clear();
            return problems;
        }

        private void Call(string action, OrderChallenge challenge, string doing) =>
            HookCall.Run(_runner, _hook, new Dictionary<string, object?>
            {
                ["Action"] = action,
                ["RecordName"] = challenge.RecordName,
                ["RecordValue"] = challenge.RecordValue,
            }, doing, _cancellation);
    }
}
