using System;
using System.Globalization;
using System.Net.Http;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>The PkiExceptions the ACME layer raises. Messages name the request, never its body.</summary>
    internal static class AcmeErrors
    {
        /// <summary>An error response: its problem document decides the ErrorId; without one, the server broke the protocol.</summary>
        public static PkiException ForResponse(AcmeResponse response, AcmeProblem? problem)
        {
            if (problem is null)
            {
                return response.BadResponse(Messages.AcmeReasonStatus.Format(response.Status));
            }
            var method = response.Method;
            var url = response.Url;
            switch (problem.Type)
            {
                case AcmeProblem.RateLimited:
                    var message = Messages.AcmeRateLimited.Format(method, url, problem);
                    if (response.RetryAfterDelay is { } delay)
                    {
                        var retryAt = (response.ReceivedAt + delay).ToString("u", CultureInfo.InvariantCulture);
                        message += " " + Messages.AcmeRetryAfter.Format(retryAt);
                    }
                    return new PkiException(ErrorIds.AcmeRateLimited, PkiErrorKind.LimitsExceeded, problem, message);
                case AcmeProblem.Unauthorized:
                    return new PkiException(ErrorIds.AcmeUnauthorized, PkiErrorKind.PermissionDenied, problem,
                        Messages.AcmeUnauthorized.Format(method, url, problem));
                case AcmeProblem.AccountDoesNotExist:
                    return new PkiException(ErrorIds.AcmeAccountNotFound, PkiErrorKind.ObjectNotFound, problem,
                        Messages.AcmeAccountNotFound.Format(method, url, problem));
                default:
                    return new PkiException(ErrorIds.AcmeProblem, PkiErrorKind.InvalidOperation, problem,
                        Messages.AcmeProblem.Format(method, url, problem));
            }
        }

        public static PkiException Unreachable(HttpMethod method, Uri url, int attempts, string reason, Exception inner) =>
            new PkiException(ErrorIds.AcmeServerUnreachable, PkiErrorKind.ConnectionError, url,
                Messages.AcmeServerUnreachable.Format(method, url, attempts, reason), inner);

        public static PkiException Cancelled(Uri url) =>
            new PkiException(ErrorIds.OperationCancelled, PkiErrorKind.OperationStopped, url, Messages.AcmeOperationCancelled);
    }
}
