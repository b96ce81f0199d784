using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Tests.Requests;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("www.example.com", "www.example.com")]
    [InlineData("WWW.Example.COM", "www.example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("*.example.com", "*.example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("例え.テスト", "xn--r8jz45g.xn--zckzah")]
    [InlineData("a-b.c-d.example", "a-b.c-d.example")]
    [InlineData("localhost", "localhost")]
    public void Dns_names_are_normalized(string input, string expected)
    {
        var name = NameRules.Parse(input);
        Assert.Equal(SubjectAlternativeNameType.Dns, name.Type);
        Assert.Equal(expected, name.Value);
    }

    [Theory]
    [InlineData("bad_name.example.com", "'_'")]
    [InlineData("exa mple.com", "' '")]
    [InlineData("a..example.com", "empty label")]
    [InlineData("-lead.example.com", "hyphen")]
    [InlineData("trail-.example.com", "hyphen")]
    [InlineData("host/path.example.com", "'/'")]
    public void Illegal_dns_names_are_InvalidDnsName_with_the_reason(string input, string reason)
    {
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(input));
        Assert.Equal(ErrorIds.InvalidDnsName, e.ErrorId);
        Assert.Equal(input, e.Target);
        Assert.Contains(input, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_label_over_63_characters_is_DnsLabelTooLong()
    {
        var label = new string('a', 64);
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(label + ".example.com"));
        Assert.Equal(ErrorIds.DnsLabelTooLong, e.ErrorId);
        Assert.Contains("64", e.Message);
        // The boundary itself is accepted.
        Assert.Equal(new string('a', 63) + ".example.com", NameRules.Parse(new string('a', 63) + ".example.com").Value);
    }

    [Fact]
    public void A_name_over_253_characters_is_InvalidDnsName()
    {
        var name = string.Join(".", Enumerable.Repeat(new string('a', 50), 5)) + ".com"; // 258 characters
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(name));
        Assert.Equal(ErrorIds.InvalidDnsName, e.ErrorId);
        Assert.Contains("258", e.Message);
    }

    [Theory]
    [InlineData("www.*.example.com")]
    [InlineData("w*.example.com")]
    [InlineData("*")]
    [InlineData("*.*.example.com")]
    [InlineData("example.*")]
    public void Wildcards_anywhere_but_the_whole_leftmost_label_are_MisplacedWildcard(string input)
    {
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(input));
        Assert.Equal(ErrorIds.MisplacedWildcard, e.ErrorId);
        Assert.Contains("*.example.com", e.Message);
    }

    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    public void Ip_addresses_are_recognized(string input, string expected)
    {
        var name = NameRules.Parse(input);
        Assert.Equal(SubjectAlternativeNameType.IpAddress, name.Type);
        Assert.Equal(expected, name.Value);
    }

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("10")]
    [InlineData("01.2.3.4")]
    [InlineData("1..3.4")]
    [InlineData("2001:db8:::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("2001:db8::g")]
    public void Malformed_ip_addresses_are_InvalidIpAddress(string input)
    {
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(input));
        Assert.Equal(ErrorIds.InvalidIpAddress, e.ErrorId);
        Assert.Equal(input, e.Target);
    }

    [Theory]
    [InlineData("ops@example.com", "ops@example.com")]
    [InlineData("First.Last+tag@Bücher.Example", "First.Last+tag@xn--bcher-kva.example")]
    public void Email_addresses_are_recognized(string input, string expected)
    {
        var name = NameRules.Parse(input);
        Assert.Equal(SubjectAlternativeNameType.Email, name.Type);
        Assert.Equal(expected, name.Value);
    }

    [Theory]
    [InlineData("@example.com")]
    [InlineData("ops@")]
    [InlineData("o ps@example.com")]
    [InlineData("ops@localhost")]
    [InlineData("ops@*.example.com")]
    [InlineData(".ops@example.com")]
    [InlineData("ops@exa_mple.com")]
    public void Malformed_email_addresses_are_InvalidEmailAddress(string input)
    {
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(input));
        Assert.Equal(ErrorIds.InvalidEmailAddress, e.ErrorId);
    }

    [Fact]
    public void Lists_take_arrays_and_comma_separated_strings_and_drop_duplicates()
    {
        var names = NameRules.ParseList(new[] { "a.example.com, b.example.com", " 192.0.2.1 ", "A.EXAMPLE.COM", "", "c@example.com" });
        Assert.Equal(new[] { "a.example.com", "b.example.com", "192.0.2.1", "c@example.com" }, names.Select(n => n.Value));
        Assert.Empty(NameRules.ParseList(null));
    }

    [Theory]
    [InlineData("www.example.com", "www.example.com")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("My Web Server", null)]
    [InlineData("admin@example.com", null)]
    public void A_common_name_becomes_a_san_only_when_it_is_a_dns_name_or_ip(string commonName, string? expected) =>
        Assert.Equal(expected, NameRules.FromCommonName(commonName)?.Value);

    // ---- issue 16, item 12: the public suffix rule, IDNA 2008, and a dNSName that is an address ------------------------------

    [Theory]
    [InlineData("*.com", "com")]
    [InlineData("*.co.uk", "co.uk")]
    [InlineData("*.test", "test")]                 // no rule: the list's default rule makes the last label a suffix
    [InlineData("*.foo.ck", "foo.ck")]             // a wildcard rule of the list: *.ck
    [InlineData("*.foo.kawasaki.jp", "foo.kawasaki.jp")]
    [InlineData("*.xn--p1ai", "xn--p1ai")]         // .рф, written in the list in Unicode
    [InlineData("*.рф", "xn--p1ai")]
    public void A_wildcard_directly_on_a_public_suffix_is_PublicSuffixWildcard(string input, string suffix)
    {
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(input));
        Assert.Equal(ErrorIds.PublicSuffixWildcard, e.ErrorId);
        Assert.Equal(input, e.Target);
        Assert.Contains("'" + suffix + "'", e.Message);
    }

    [Theory]
    [InlineData("*.example.com")]
    [InlineData("*.example.co.uk")]
    [InlineData("*.corp.test")]
    [InlineData("*.www.ck")]                      // an exception rule: !www.ck is not a public suffix
    [InlineData("*.city.kawasaki.jp")]            // nor !city.kawasaki.jp, under *.kawasaki.jp
    [InlineData("*.kawasaki.jp")]                 // *.kawasaki.jp makes the names below it suffixes, not kawasaki.jp itself
    [InlineData("*.github.io")]                   // the list's private section is not read: github.io is a domain like others
    [InlineData("com")]                           // only wildcards meet the rule; a bare name is checked as any other
    public void A_wildcard_on_a_registrable_domain_is_allowed(string input)
    {
        Assert.Equal(input, NameRules.Parse(input).Value);
    }

    [Theory]
    [InlineData("exa\u200Bmple.com", "U+200B")]   // zero-width space: UTS 46 drops it, IDNA 2008 refuses it
    [InlineData("exa\u00ADmple.com", "U+00AD")]   // soft hyphen
    [InlineData("ex\u200Dample.com", "U+200D")]   // zero-width joiner
    [InlineData("\u2603.example.com", "U+2603")]  // a snowman: a symbol
    [InlineData("\uFF41bc.example.com", "U+FF41")] // full-width a: not stable under NFKC
    [InlineData("\u0301a.example.com", "combining mark")]
    [InlineData("a\u05D0.example.com", "right-to-left")]
    [InlineData("ab\u00B7c.example.com", "U+00B7")] // middle dot outside l·l
    public void A_name_that_idna_2008_refuses_is_InvalidDnsName_never_silently_changed(string escaped, string reason)
    {
        var input = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var e = Assert.Throws<PkiException>(() => NameRules.Parse(input));
        Assert.Equal(ErrorIds.InvalidDnsName, e.ErrorId);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData("faß.de", "xn--fa-hia.de")]         // IDNA 2008: ß is itself, not ss
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("col\u00B7legi.cat", "xn--collegi-xma.cat")] // l·l, the middle dot's context
    [InlineData("\u05E9\u05DC\u05D5\u05DD.example", "xn--9dbne9b.example")]
    public void A_name_idna_2008_takes_converts_to_its_a_labels(string escaped, string expected)
    {
        Assert.Equal(expected, NameRules.Parse(System.Text.RegularExpressions.Regex.Unescape(escaped)).Value);
    }

    [Theory]
    [InlineData("xn--zz")]            // not punycode
    [InlineData("xn--example-2z6c")]  // the punycode of exa<U+200B>mple
    [InlineData("ab--cd.example.com")] // hyphens in the third and fourth places are for xn-- labels only
    public void A_label_that_only_looks_like_punycode_is_InvalidDnsName(string input)
    {
        Assert.Equal(ErrorIds.InvalidDnsName, Assert.Throws<PkiException>(() => NameRules.Parse(input)).ErrorId);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("1.2.3")]
    [InlineData("ops@example.com")]
    public void A_dns_name_entry_that_is_an_address_is_InvalidDnsName(string input)
    {
        var e = Assert.Throws<PkiException>(() => NameRules.ParseDnsName(input));
        Assert.Equal(ErrorIds.InvalidDnsName, e.ErrorId);
        Assert.Equal(input, e.Target);
    }

    [Fact]
    public void Typed_names_are_still_sorted_by_their_form()
    {
        Assert.Equal(SubjectAlternativeNameType.IpAddress, NameRules.Parse("10.0.0.1").Type);
        Assert.Equal(SubjectAlternativeNameType.Dns, NameRules.ParseDnsName("www.example.com").Type);
    }
}
