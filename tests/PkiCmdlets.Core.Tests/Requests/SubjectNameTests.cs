using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Tests.Requests;

public sealed class SubjectNameTests
{
    [Fact]
    public void Builds_the_subject_text_most_specific_first_with_escaping()
    {
        var subject = SubjectName.Create("www.example.com", "us", "Washington", "Redmond", "Contoso, Ltd", "IT", "a@example.com");
        Assert.Equal(@"E=a@example.com, CN=www.example.com, OU=IT, O=Contoso\, Ltd, L=Redmond, ST=Washington, C=US", subject.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_common_name_is_CommonNameMissing(string? commonName)
    {
        var e = Assert.Throws<PkiException>(() => SubjectName.Create(commonName));
        Assert.Equal(ErrorIds.CommonNameMissing, e.ErrorId);
    }

    [Fact]
    public void A_common_name_over_64_characters_is_CommonNameTooLong_and_64_is_fine()
    {
        Assert.Equal(64, SubjectName.Create(new string('a', 64)).CommonName.Length);
        var e = Assert.Throws<PkiException>(() => SubjectName.Create(new string('a', 65)));
        Assert.Equal(ErrorIds.CommonNameTooLong, e.ErrorId);
        Assert.Contains("65", e.Message);
    }

    [Theory]
    [InlineData("US", "US")]
    [InlineData("cn", "CN")]
    [InlineData(" de ", "DE")]
    [InlineData("AX", "AX")]
    public void Countries_are_iso_codes_in_any_case(string input, string expected) =>
        Assert.Equal(expected, SubjectName.Create("x", input).Country);

    [Theory]
    [InlineData("XX")]
    [InlineData("UK")]
    [InlineData("USA")]
    [InlineData("China")]
    [InlineData("1A")]
    public void Anything_else_is_InvalidCountryCode(string input)
    {
        var e = Assert.Throws<PkiException>(() => SubjectName.Create("x", input));
        Assert.Equal(ErrorIds.InvalidCountryCode, e.ErrorId);
        Assert.Equal(input, e.Target);
        Assert.Contains(input, e.Message);
    }

    [Fact]
    public void The_code_list_is_the_249_assigned_iso_3166_codes() => Assert.Equal(249, CountryCodes.All.Count);

    [Fact]
    public void Over_long_subject_fields_are_SubjectFieldTooLong_naming_the_field()
    {
        var e = Assert.Throws<PkiException>(() => SubjectName.Create("x", organization: new string('o', 65)));
        Assert.Equal(ErrorIds.SubjectFieldTooLong, e.ErrorId);
        Assert.Contains("Organization", e.Message);
        Assert.Contains("64", e.Message);
    }

    [Fact]
    public void A_bad_email_is_InvalidEmailAddress() =>
        Assert.Equal(ErrorIds.InvalidEmailAddress, Assert.Throws<PkiException>(() => SubjectName.Create("x", email: "not-an-address")).ErrorId);
}
