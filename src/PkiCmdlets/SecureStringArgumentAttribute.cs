using System.Management.Automation;
using System.Security;
using PkiCmdlets.Core;

namespace PkiCmdlets
{
    /// <summary>
    /// On every password parameter: a plain string is refused in the module's own words, which say how to give a
    /// SecureString, instead of PowerShell's "Cannot convert the value of type System.String to type SecureString".
    /// Passwords stay SecureString only, so they never stand in the history or in a variable as text.
    /// </summary>
    public sealed class SecureStringArgumentAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value == null || value is SecureString) return value;
            throw new ArgumentTransformationMetadataException(Messages.PasswordNotSecureString);
        }
    }
}
