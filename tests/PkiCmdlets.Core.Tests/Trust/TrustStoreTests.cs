using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Tests.Support;
using PkiCmdlets.Core.Trust;

namespace PkiCmdlets.Core.Tests.Trust;

/// <summary>
/// What each operating system's trust store would do, without changing this machine's: the command lines macOS runs, the
/// Windows store and location, the Linux anchor file and update command (in a scratch folder, with the command recorded),
/// and the rules every platform shares (roots only, removal of what is there, elevation, scope). The real Linux system
/// trust, judged by curl and HttpClient, is Install-CATrust.Tests.ps1's.
/// </summary>
public sealed class TrustStoreTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    /// <summary>Records every command line; answers with the exit code and output it is given.</summary>
    private sealed class RecordingRunner : ICommandRunner
    {
        public List<string> Commands { get; } = new();
        public int ExitCode { get; set; }
        public string Output { get; set; } = string.Empty;

        public bool Exists(string command) => true;

        public CommandResult Run(string command, IReadOnlyList<string> arguments)
        {
            Commands.Add(command + " " + string.Join(" ", arguments));
            return new CommandResult(ExitCode, Output);
        }
    }

    private static TrustedRootFile Root(CertificateAuthority ca) =>
        new("pkicmdlets-" + ca.Id, ca.Pem, ca.Certificate!.RawData, ca.Thumbprint);

    [Fact]
    public void On_macOS_the_user_s_root_goes_into_the_login_keychain_and_the_machine_s_into_the_System_keychain_with_admin_trust()
    {
        var runner = new RecordingRunner();
        var mac = new MacTrustStore(runner, () => true, "/Users/alice");
        var root = Root(_pki.Root);

        Assert.Equal(new[] { "add-trusted-cert", "-r", "trustRoot", "-k", "/Users/alice/Library/Keychains/login.keychain-db", "/tmp/r.pem" },
            mac.InstallCommands("/tmp/r.pem", TrustScope.CurrentUser).Single());
        Assert.Equal(new[] { "add-trusted-cert", "-d", "-r", "trustRoot", "-k", "/Library/Keychains/System.keychain", "/tmp/r.pem" },
            mac.InstallCommands("/tmp/r.pem", TrustScope.LocalMachine).Single());
        Assert.Equal(new[] { "remove-trusted-cert /tmp/r.pem", "delete-certificate -Z " + root.Thumbprint + " /Users/alice/Library/Keychains/login.keychain-db" },
            mac.RemoveCommands("/tmp/r.pem", root, TrustScope.CurrentUser).Select(c => string.Join(" ", c)));
        Assert.Equal(new[] { "remove-trusted-cert -d /tmp/r.pem", "delete-certificate -Z " + root.Thumbprint + " /Library/Keychains/System.keychain" },
            mac.RemoveCommands("/tmp/r.pem", root, TrustScope.LocalMachine).Select(c => string.Join(" ", c)));

        mac.Install(root, TrustScope.CurrentUser);
        var ran = Assert.Single(runner.Commands);
        Assert.StartsWith("/usr/bin/security add-trusted-cert -r trustRoot -k /Users/alice/Library/Keychains/login.keychain-db /", ran);
        Assert.EndsWith(".pem", ran);
        Assert.False(File.Exists(ran.Split(' ').Last())); // the temporary file is gone

        runner.Output = "SHA-1 hash: " + root.Thumbprint;
        Assert.True(mac.Contains(root, TrustScope.CurrentUser));
        runner.ExitCode = 1;
        runner.Output = "SecTrustSettingsSetTrustSettings: The authorization was denied since no user interaction was possible.";
        var failed = Assert.Throws<PkiException>(() => mac.Install(root, TrustScope.CurrentUser));
        Assert.Equal(ErrorIds.TrustStoreFailed, failed.ErrorId);
        Assert.Contains("authorization was denied", failed.Message);
        Assert.Equal(ErrorIds.TrustElevationRequired,
            Assert.Throws<PkiException>(() => new MacTrustStore(runner, () => false, "/Users/alice").RequireUsable(TrustScope.LocalMachine)).ErrorId);
    }

    [Fact]
    public void On_Windows_the_root_goes_into_the_Root_store_of_the_user_or_of_the_machine()
    {
        var windows = new WindowsTrustStore();

        Assert.Equal(StoreName.Root, WindowsTrustStore.Store);
        Assert.Equal(StoreLocation.CurrentUser, WindowsTrustStore.StoreLocationOf(TrustScope.CurrentUser));
        Assert.Equal(StoreLocation.LocalMachine, WindowsTrustStore.StoreLocationOf(TrustScope.LocalMachine));
        Assert.Equal(@"Cert:\CurrentUser\Root", windows.Location(TrustScope.CurrentUser));
        Assert.Equal(@"Cert:\LocalMachine\Root", windows.Location(TrustScope.LocalMachine));
    }

    [Fact]
    public void On_Linux_the_root_is_a_pem_file_in_the_anchor_folder_and_the_update_command_runs_after_each_change()
    {
        var runner = new RecordingRunner();
        var anchors = Path.Combine(_pki.Store.Folder, "anchors");
        var linux = new LinuxTrustStore(anchors, ".crt", "update-ca-certificates", Array.Empty<string>(), runner, () => true);
        var root = Root(_pki.Root);
        var file = Path.Combine(anchors, "pkicmdlets-" + _pki.Root.Id + ".crt");

        linux.Install(root, TrustScope.LocalMachine);
        Assert.Equal(_pki.Root.Pem, File.ReadAllText(file));
        if (!OperatingSystem.IsWindows()) Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(file));
        Assert.True(linux.Contains(root, TrustScope.LocalMachine));
        linux.Remove(root, TrustScope.LocalMachine);
        Assert.False(File.Exists(file));
        Assert.Equal(new[] { "update-ca-certificates ", "update-ca-certificates " }, runner.Commands);

        // A root the update command did not take is not left for the next update to find.
        runner.ExitCode = 1;
        runner.Output = "update-ca-certificates: permission denied";
        Assert.Equal(ErrorIds.TrustStoreFailed, Assert.Throws<PkiException>(() => linux.Install(root, TrustScope.LocalMachine)).ErrorId);
        Assert.False(File.Exists(file));

        Assert.Equal(ErrorIds.TrustScopeNotSupported, Assert.Throws<PkiException>(() => linux.RequireUsable(TrustScope.CurrentUser)).ErrorId);
        var notRoot = new LinuxTrustStore(anchors, ".crt", "update-ca-certificates", Array.Empty<string>(), runner, () => false);
        Assert.Equal(ErrorIds.TrustElevationRequired, Assert.Throws<PkiException>(() => notRoot.RequireUsable(TrustScope.LocalMachine)).ErrorId);
        Assert.Equal("/etc/pki/ca-trust/source/anchors", LinuxTrustStore.RedHat(runner, () => true).AnchorFolder);
        Assert.Equal(new[] { "extract" }, LinuxTrustStore.RedHat(runner, () => true).Arguments);
        Assert.Equal("/usr/local/share/ca-certificates", LinuxTrustStore.Debian(runner, () => true).AnchorFolder);
    }

    [Fact]
    public void Only_a_root_is_installed_only_one_that_is_there_is_removed_and_neither_changes_the_store()
    {
        var runner = new RecordingRunner();
        var anchors = Path.Combine(_pki.Store.Folder, "anchors");
        var trust = new TrustService(Services.Cas(_pki.Open()),
            () => new LinuxTrustStore(anchors, ".crt", "update-ca-certificates", Array.Empty<string>(), runner, () => true));
        var before = _pki.Store.Snapshot();

        var intermediate = Assert.Throws<PkiException>(() => trust.Install(new CaIdentity("Sub"), TrustScope.LocalMachine));
        var absent = Assert.Throws<PkiException>(() => trust.Uninstall(new CaIdentity("Root"), TrustScope.LocalMachine));
        var installed = trust.Install(new CaIdentity("Root"), TrustScope.LocalMachine);
        var removed = trust.Uninstall(new CaIdentity("Root"), TrustScope.LocalMachine);

        Assert.Equal(ErrorIds.TrustNotRoot, intermediate.ErrorId);
        Assert.Equal("Sub", intermediate.Target);
        Assert.Equal(ErrorIds.TrustNotInstalled, absent.ErrorId);
        Assert.True(installed.Installed);
        Assert.Equal(_pki.Root.Thumbprint, installed.Thumbprint);
        Assert.Equal("LocalMachine", installed.Scope);
        Assert.StartsWith(anchors, installed.Location);
        Assert.False(removed.Installed);
        Assert.Equal(before, _pki.Store.Snapshot());
    }
}
