using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>
/// The store is owner-only wherever it is put. Unix modes are checked here on the files themselves; the Windows access list
/// is checked as the rule it is built from (this suite runs on Linux), read back with .NET's own SDDL parser.
/// </summary>
public sealed class FilePermissionsTests
{
    private const string User = "S-1-5-21-1004336348-1177238915-682003330-1001";

    /// <summary>
    /// .NET's ACL classes throw PlatformNotSupportedException outside Windows, so the SDDL is read here by its grammar
    /// (owner, DACL flags, one ACE's type;flags;rights;;;account), field by field.
    /// </summary>
    [Fact]
    public void On_Windows_a_store_folder_is_owned_by_the_user_who_alone_has_access_to_it_and_everything_below()
    {
        var sddl = FilePermissions.OwnerOnlySddl(User);

        var match = System.Text.RegularExpressions.Regex.Match(sddl, @"^O:(?<owner>[^D]+)D:(?<flags>[A-Z]*)(?<aces>(\([^)]*\))*)$");
        Assert.True(match.Success, sddl);
        Assert.Equal(User, match.Groups["owner"].Value);
        Assert.Equal("P", match.Groups["flags"].Value); // protected: nothing inherited from the folders above, and no AI/AR
        var aces = System.Text.RegularExpressions.Regex.Matches(match.Groups["aces"].Value, @"\(([^)]*)\)").Select(m => m.Groups[1].Value.Split(';')).ToList();
        var ace = Assert.Single(aces);
        Assert.Equal(6, ace.Length);
        Assert.Equal("A", ace[0]);                                                      // allow
        Assert.Equal(new[] { "CI", "OI" }, Enumerable.Range(0, ace[1].Length / 2).Select(i => ace[1].Substring(2 * i, 2)).OrderBy(f => f)); // files and folders below inherit it; not ID (inherited itself)
        Assert.Equal("FA", ace[2]);                                                     // full access
        Assert.Equal(string.Empty, ace[3] + ace[4]);                                    // no object types
        Assert.Equal(User, ace[5]);                                                     // the user alone: no SYSTEM, no Administrators
    }

    [Fact]
    public void On_Unix_an_empty_folder_made_beforehand_becomes_owner_only_when_the_store_is_created_in_it()
    {
        if (OperatingSystem.IsWindows()) return;
        using var temp = new TempStore();
        Directory.CreateDirectory(temp.Root);
        File.SetUnixFileMode(temp.Root, (UnixFileMode)0x1ED); // 0755, as mkdir makes it

        temp.Open().EnsureCreated();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(temp.Root));
    }

    [Fact]
    public void On_Unix_a_folder_that_already_holds_other_things_keeps_its_mode()
    {
        if (OperatingSystem.IsWindows()) return;
        using var temp = new TempStore();
        Directory.CreateDirectory(temp.Root);
        File.WriteAllText(Path.Combine(temp.Root, "notes.txt"), "mine");
        File.SetUnixFileMode(temp.Root, (UnixFileMode)0x1ED);

        temp.Open().EnsureCreated("csrs");

        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(temp.Root));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(temp.Root, "csrs")));
    }
}
