using Org.BouncyCastle.Asn1.X509;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A certificate for a service that is both a TLS server and a TLS client of its peers (mTLS between services): the
    /// server profile's extensions and names, with serverAuth and clientAuth, and the URIs asked for with -Uri (a SPIFFE ID
    /// beside the service's DNS names).
    /// </summary>
    internal sealed class ServerAndClientProfile : ServerProfile
    {
        public new const string ProfileName = "ServerAndClient";

        public override string Name => ProfileName;

        protected override KeyPurposeID[] ExtendedKeyUsages => new[] { KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth };

        protected override bool TakesUris => true;
    }
}
