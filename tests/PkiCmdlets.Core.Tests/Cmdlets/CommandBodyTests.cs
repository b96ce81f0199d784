using System.Text.RegularExpressions;

namespace PkiCmdlets.Core.Tests.Cmdlets;

/// <summary>
/// A command body binds parameters, asks ShouldProcess, calls the core and writes the result. Errors and progress
/// go one way, through PkiCmdlet.Try; every word a user reads comes from Messages.resx.
/// </summary>
public sealed class CommandBodyTests
{
    private static readonly string Commands = Path.Combine(CmdletAssembly.RepositoryRoot, "src", "PkiCmdlets", "Commands");

    public static TheoryData<string> CommandFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Commands, "*Command.cs").OrderBy(f => f, StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void Every_command_file_is_checked()
    {
        Assert.True(CommandFiles().Count >= 19, "the command files weren't found under " + Commands);
    }

    [Theory]
    [MemberData(nameof(CommandFiles))]
    public void A_command_has_no_catch_block_of_its_own(string file)
    {
        var code = Code(file);
        Assert.DoesNotMatch(new Regex(@"\bcatch\b"), code);
        Assert.DoesNotMatch(new Regex(@"\bfinally\b"), code);
    }

    [Theory]
    [MemberData(nameof(CommandFiles))]
    public void ShouldProcess_and_WriteWarning_texts_come_from_the_messages(string file)
    {
        var code = Code(file);
        foreach (Match call in Regex.Matches(code, @"\b(ShouldProcess|WriteWarning|WriteVerbose)\((?<args>[^;]*)\)\s*[;)]"))
        {
            Assert.DoesNotMatch(new Regex("\"[^\"]*[A-Za-z]{2}[^\"]*\""), call.Groups["args"].Value);
        }
    }

    /// <summary>The file without comments, so that a comment may speak of what the code avoids.</summary>
    private static string Code(string file)
    {
        var text = File.ReadAllText(Path.Combine(Commands, file));
        return Regex.Replace(text, @"//[^\n]*", string.Empty);
    }
}
