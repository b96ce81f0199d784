using System;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>Reported after each poll of an authorization or order that is not finished yet.</summary>
    public sealed class AcmePollProgress
    {
        internal AcmePollProgress(Uri url, string status, int attempt, TimeSpan elapsed, TimeSpan nextPollIn)
        {
            Url = url;
            Status = status;
            Attempt = attempt;
            Elapsed = elapsed;
            NextPollIn = nextPollIn;
        }

        public Uri Url { get; }
        public string Status { get; }
        public int Attempt { get; }
        public TimeSpan Elapsed { get; }
        public TimeSpan NextPollIn { get; }
    }
}
