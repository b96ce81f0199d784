using PkiCmdlets.Core.Acme;

namespace PkiCmdlets.Core.Tests.Acme;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData(" 120 ", 120)]
    [InlineData("Fri, 14 Mar 2025 09:27:23 GMT", 30)]
    [InlineData("Fri, 14 Mar 2025 09:26:00 GMT", 0)]
    [InlineData("99999999999999", 86400)]
    public void Reads_seconds_and_http_dates(string value, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("2025-03-14T09:27:23Z")]
    public void Ignores_what_is_neither(string? value)
    {
        Assert.Null(RetryAfter.Parse(value, Now));
    }
}
