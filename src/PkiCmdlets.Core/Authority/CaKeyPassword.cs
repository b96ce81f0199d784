using System.Security;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// How a CA's key is kept in the store, as New-RootCA, New-SubCA and Import-CA ask for it: encrypted with a password,
    /// or in the clear only when -NoPassword says so; never both, never neither.
    /// </summary>
    internal static class CaKeyPassword
    {
        /// <summary>KeyPasswordConflict for both, CaKeyPasswordRequired for neither, KeyPasswordEmpty for an empty password.</summary>
        public static void Require(SecureString? password, bool noPassword)
        {
            if (password != null && noPassword)
            {
                throw new PkiException(ErrorIds.KeyPasswordConflict, PkiErrorKind.InvalidArgument, null, Messages.KeyPasswordConflict);
            }
            if (password == null && !noPassword)
            {
                throw new PkiException(ErrorIds.CaKeyPasswordRequired, PkiErrorKind.InvalidArgument, null, Messages.CaKeyPasswordRequired);
            }
            KeyProtection.RequireNonEmpty(password);
        }
    }
}
