using System.Text;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Formats;

/// <summary>
/// Files given to read: a CSR written by Windows PowerShell 5.1's Out-File (UTF-16 with a byte order mark) reads as well as
/// UTF-8 (issue 16, item 17), and a file too large, or endless, is refused before it fills memory.
/// </summary>
public sealed class InputFileTests : IDisposable
{
    private static readonly string Request = Hierarchy.Csr(Core.Keys.KeySpec.Ecc(256), "bom.example.com", "bom.example.com");

    private readonly TempStore _temp = new();

    public InputFileTests() => Directory.CreateDirectory(_temp.Folder);

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Encodings() => new() { "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-32le", "utf-32be" };

    private static Encoding EncodingFor(string name) => name switch
    {
        "utf-8" => new UTF8Encoding(false),
        "utf-8-bom" => new UTF8Encoding(true),
        "utf-16le" => new UnicodeEncoding(false, true),
        "utf-16be" => new UnicodeEncoding(true, true),
        "utf-32le" => new UTF32Encoding(false, true),
        _ => new UTF32Encoding(true, true),
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_csr_file_in_any_unicode_encoding_with_its_byte_order_mark_is_read(string encoding)
    {
        var path = Path.Combine(_temp.Folder, encoding + ".csr");
        File.WriteAllText(path, Request.Replace("\n", "\r\n"), EncodingFor(encoding));

        var csr = CsrContent.FromTextOrFile(null, path);

        Assert.Equal("bom.example.com", csr.CommonName);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void The_text_of_a_file_is_decoded_by_its_byte_order_mark(string encoding)
    {
        var text = "-----BEGIN X-----\nÄé€𝄞\n";
        var bytes = EncodingFor(encoding).GetPreamble().Concat(EncodingFor(encoding).GetBytes(text)).ToArray();
        Assert.Equal(text, InputFile.Text(bytes));
    }

    [Fact]
    public void A_file_over_a_mebibyte_is_InputTooLarge_naming_the_path()
    {
        var path = Path.Combine(_temp.Folder, "big.csr");
        File.WriteAllText(path, Request + new string('x', DerInput.MaxBytes));

        var error = Assert.Throws<PkiException>(() => CsrContent.FromTextOrFile(null, path));

        Assert.Equal(ErrorIds.InputTooLarge, error.ErrorId);
        Assert.Equal(path, error.Target);
    }

    [Fact]
    public void An_endless_file_is_read_no_further_than_the_limit()
    {
        if (OperatingSystem.IsWindows()) return;
        var error = Assert.Throws<PkiException>(() => InputFile.Read("/dev/zero", e => new PkiException("Unreadable", PkiErrorKind.InvalidData, null, e.Message)));
        Assert.Equal(ErrorIds.InputTooLarge, error.ErrorId);
    }

    [Fact]
    public void Text_over_a_mebibyte_is_InputTooLarge()
    {
        var error = Assert.Throws<PkiException>(() => CsrContent.FromText(Request + new string(' ', DerInput.MaxBytes), "-Csr"));
        Assert.Equal(ErrorIds.InputTooLarge, error.ErrorId);
        Assert.Equal("-Csr", error.Target);
    }
}
