using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Tests.Keys;

public sealed class KeySpecTests
{
    [Theory]
    [InlineData(null, null, "RSA_2048")]
    [InlineData("RSA", null, "RSA_2048")]
    [InlineData("rsa", 3072, "RSA_3072")]
    [InlineData("RSA", 4096, "RSA_4096")]
    [InlineData("RSA_4096", null, "RSA_4096")]
    [InlineData("RSA_2048", 2048, "RSA_2048")]
    [InlineData("ECC", null, "ECC_256")]
    [InlineData("ECC", 384, "ECC_384")]
    [InlineData("ECC", 521, "ECC_521")]
    [InlineData("ECC_384", null, "ECC_384")]
    [InlineData("ECC_512", null, "ECC_521")]
    [InlineData("ECDSA", 256, "ECC_256")]
    [InlineData("prime256v1", null, "ECC_256")]
    [InlineData("P-256", null, "ECC_256")]
    [InlineData("secp384r1", null, "ECC_384")]
    [InlineData("P-521", null, "ECC_521")]
    [InlineData("SM2", null, "SM2_256")]
    [InlineData("SM2", 256, "SM2_256")]
    [InlineData("SM2_256", null, "SM2_256")]
    [InlineData(" sm2p256v1 ", null, "SM2_256")]
    [InlineData(null, 4096, "RSA_4096")]
    public void Parses_every_supported_spelling(string? algorithm, int? size, string expected) =>
        Assert.Equal(expected, KeySpec.Parse(algorithm, size).AlgorithmName);

    [Theory]
    [InlineData("RSA", 1024, "RSA", "2048, 3072, 4096")]
    [InlineData("RSA", 512, "RSA", "2048, 3072, 4096")]
    [InlineData("RSA", 2500, "RSA", "2048, 3072, 4096")]
    [InlineData("RSA", 8192, "RSA", "2048, 3072, 4096")]
    [InlineData("RSA_1024", null, "RSA", "2048, 3072, 4096")]
    [InlineData("ECC", 224, "ECC", "256, 384, 521")]
    [InlineData("ECC_192", null, "ECC", "256, 384, 521")]
    public void Refuses_sizes_outside_the_allowed_list_and_names_them(string algorithm, int? size, string family, string allowed)
    {
        var e = Assert.Throws<PkiException>(() => KeySpec.Parse(algorithm, size));
        Assert.Equal(ErrorIds.KeySizeNotAllowed, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(family, e.Message);
        Assert.Contains(allowed, e.Message);
    }

    [Theory]
    [InlineData("SM2", 384)]
    [InlineData("SM2", 2048)]
    [InlineData("SM2_512", null)]
    public void Sm2_has_one_size(string algorithm, int? size)
    {
        var e = Assert.Throws<PkiException>(() => KeySpec.Parse(algorithm, size));
        Assert.Equal(ErrorIds.Sm2KeySizeNotAllowed, e.ErrorId);
        Assert.Contains("256", e.Message);
    }

    [Theory]
    [InlineData("DSA")]
    [InlineData("Ed25519")]
    [InlineData("RSA-PSS")]
    [InlineData("secp256k1")]
    [InlineData("RSA_")]
    public void Unknown_algorithms_are_refused_with_the_valid_forms(string algorithm)
    {
        var e = Assert.Throws<PkiException>(() => KeySpec.Parse(algorithm, null));
        Assert.Equal(ErrorIds.UnsupportedAlgorithm, e.ErrorId);
        Assert.Equal(algorithm, e.Target);
        Assert.Contains("RSA_2048", e.Message);
    }

    [Theory]
    [InlineData("RSA_2048", 4096)]
    [InlineData("P-384", 256)]
    public void A_size_that_contradicts_the_algorithm_is_refused(string algorithm, int size)
    {
        var e = Assert.Throws<PkiException>(() => KeySpec.Parse(algorithm, size));
        Assert.Equal(ErrorIds.KeySizeConflict, e.ErrorId);
    }

    [Fact]
    public void Every_completion_value_parses() =>
        Assert.All(KeySpec.CompletionValues, v => KeySpec.Parse(v, null));
}
