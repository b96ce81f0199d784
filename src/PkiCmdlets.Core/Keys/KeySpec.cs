using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// A key algorithm and size the product supports. Parses every spelling users bring from the seeds
    /// and from other tools: "RSA" with a size, the seed-002 form ("RSA_2048", "ECC_384", "SM2_256"),
    /// and curve names ("prime256v1", "P-256", "secp384r1").
    /// </summary>
    public sealed class KeySpec : IEquatable<KeySpec>
    {
        public static readonly int[] RsaSizes = { 2048, 3072, 4096 };
        public static readonly int[] EccSizes = { 256, 384, 521 };
        public const int Sm2Size = 256;

        public static readonly KeySpec Default = new KeySpec(KeyFamily.Rsa, 2048);

        /// <summary>Values offered by tab completion; <see cref="Parse"/> accepts more.</summary>
        public static readonly string[] CompletionValues =
        {
            "RSA", "ECC", "SM2", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_256", "ECC_384", "ECC_521", "SM2_256",
            "P-256", "P-384", "P-521", "prime256v1", "secp384r1", "secp521r1",
        };

        private static readonly Dictionary<string, KeySpec> CurveNames = new Dictionary<string, KeySpec>(StringComparer.OrdinalIgnoreCase)
        {
            ["prime256v1"] = new KeySpec(KeyFamily.Ecc, 256),
            ["secp256r1"] = new KeySpec(KeyFamily.Ecc, 256),
            ["P-256"] = new KeySpec(KeyFamily.Ecc, 256),
            ["P256"] = new KeySpec(KeyFamily.Ecc, 256),
            ["nistp256"] = new KeySpec(KeyFamily.Ecc, 256),
            ["secp384r1"] = new KeySpec(KeyFamily.Ecc, 384),
            ["P-384"] = new KeySpec(KeyFamily.Ecc, 384),
            ["P384"] = new KeySpec(KeyFamily.Ecc, 384),
            ["nistp384"] = new KeySpec(KeyFamily.Ecc, 384),
            ["secp521r1"] = new KeySpec(KeyFamily.Ecc, 521),
            ["P-521"] = new KeySpec(KeyFamily.Ecc, 521),
            ["P521"] = new KeySpec(KeyFamily.Ecc, 521),
            ["nistp521"] = new KeySpec(KeyFamily.Ecc, 521),
            ["sm2p256v1"] = new KeySpec(KeyFamily.Sm2, 256),
        };

        private static readonly Dictionary<string, KeyFamily> FamilyNames = new Dictionary<string, KeyFamily>(StringComparer.OrdinalIgnoreCase)
        {
            ["RSA"] = KeyFamily.Rsa,
            ["ECC"] = KeyFamily.Ecc,
            ["EC"] = KeyFamily.Ecc,
            ["ECDSA"] = KeyFamily.Ecc,
            ["SM2"] = KeyFamily.Sm2,
        };

        private KeySpec(KeyFamily family, int size)
        {
            Family = family;
            Size = size;
        }

        public KeyFamily Family { get; }

        /// <summary>Modulus bits for RSA; field bits for ECC (256, 384, 521) and SM2 (256).</summary>
        public int Size { get; }

        /// <summary>The algorithm's name as every Algorithm property shows it and store records keep it (the seed-002 spelling): RSA_2048, ECC_384, SM2_256.</summary>
        public string AlgorithmName => FamilyLabel(Family) + "_" + Size.ToString(CultureInfo.InvariantCulture);

        /// <summary>The NIST or GM/T curve name, or null for RSA.</summary>
        public string? CurveName => Family switch
        {
            KeyFamily.Ecc => "P-" + Size.ToString(CultureInfo.InvariantCulture),
            KeyFamily.Sm2 => "sm2p256v1",
            _ => null,
        };

        /// <summary>True where generation is slow enough that the user should be told to wait.</summary>
        public bool IsSlowToGenerate => Family == KeyFamily.Rsa && Size >= 4096;

        /// <summary>
        /// Makes a key of this spec with <paramref name="generate"/> (PrivateKey.Generate, or a test's pre-generated keys),
        /// telling the user first, and that it takes a while when it does; a call cancelled by then makes none.
        /// </summary>
        internal PrivateKey Generate(Func<KeySpec, PrivateKey> generate, IProgress<string>? progress, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequestedAsPki();
            progress?.Report((IsSlowToGenerate ? Messages.ProgressGeneratingSlowKey : Messages.ProgressGeneratingKey).Format(this));
            return generate(this);
        }

        public override string ToString() => Family switch
        {
            KeyFamily.Rsa => "RSA " + Size.ToString(CultureInfo.InvariantCulture) + "-bit",
            KeyFamily.Ecc => "ECC " + CurveName,
            _ => "SM2 (sm2p256v1)",
        };

        public static KeySpec Rsa(int size) => Create(KeyFamily.Rsa, size, "RSA");

        public static KeySpec Ecc(int size) => Create(KeyFamily.Ecc, size, "ECC");

        public static KeySpec Sm2() => new KeySpec(KeyFamily.Sm2, Sm2Size);

        /// <summary>
        /// Reads an algorithm name and an optional key size as the user typed them. With no algorithm,
        /// the default is RSA 2048 (or RSA of the size given).
        /// </summary>
        public static KeySpec Parse(string? algorithm, int? keySize)
        {
            if (keySize == 0)
            {
                keySize = null; // a blank CSV cell bound to -KeySize arrives as 0
            }
            var name = (algorithm ?? string.Empty).Trim();
            if (name.Length == 0)
            {
                return keySize.HasValue ? Create(KeyFamily.Rsa, keySize.Value, "RSA") : Default;
            }

            if (FamilyNames.TryGetValue(name, out var family))
            {
                var size = keySize ?? DefaultSize(family);
                return Create(family, size, name);
            }

            KeySpec? fixedSpec = null;
            if (CurveNames.TryGetValue(name, out var curve))
            {
                fixedSpec = curve;
            }
            else
            {
                var underscore = name.IndexOf('_');
                if (underscore > 0
                    && FamilyNames.TryGetValue(name.Substring(0, underscore), out var namedFamily)
                    && int.TryParse(name.Substring(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var namedSize))
                {
                    fixedSpec = Create(namedFamily, namedSize, name.Substring(0, underscore).ToUpperInvariant());
                }
            }

            if (fixedSpec is null)
            {
                throw new PkiException(ErrorIds.UnsupportedAlgorithm, PkiErrorKind.InvalidArgument, algorithm,
                    Messages.UnsupportedAlgorithm.Format(algorithm));
            }
            if (keySize.HasValue && keySize.Value != fixedSpec.Size && !(fixedSpec.Family == KeyFamily.Ecc && keySize.Value == 512 && fixedSpec.Size == 521))
            {
                throw new PkiException(ErrorIds.KeySizeConflict, PkiErrorKind.InvalidArgument, keySize.Value,
                    Messages.KeySizeConflict.Format(algorithm, fixedSpec.Size, keySize.Value));
            }
            return fixedSpec;
        }

        /// <summary>Reads the <see cref="AlgorithmName"/> this class writes (store records keep it).</summary>
        public static KeySpec FromAlgorithmName(string algorithmName) => Parse(algorithmName, null);

        private static KeySpec Create(KeyFamily family, int size, string familyLabel)
        {
            switch (family)
            {
                case KeyFamily.Rsa when RsaSizes.Contains(size):
                    return new KeySpec(family, size);
                case KeyFamily.Ecc when EccSizes.Contains(size):
                    return new KeySpec(family, size);
                case KeyFamily.Ecc when size == 512:
                    // Seed 002 calls P-521 "ECC_512".
                    return new KeySpec(family, 521);
                case KeyFamily.Sm2 when size == Sm2Size:
                    return new KeySpec(family, size);
                case KeyFamily.Sm2:
                    throw new PkiException(ErrorIds.Sm2KeySizeNotAllowed, PkiErrorKind.InvalidArgument, size,
                        Messages.Sm2KeySizeNotAllowed.Format(size));
                default:
                    var allowed = family == KeyFamily.Rsa ? RsaSizes : EccSizes;
                    throw new PkiException(ErrorIds.KeySizeNotAllowed, PkiErrorKind.InvalidArgument, size,
                        Messages.KeySizeNotAllowed.Format(familyLabel.ToUpperInvariant(), size,
                            string.Join(", ", allowed.Select(s => s.ToString(CultureInfo.InvariantCulture)))));
            }
        }

        private static int DefaultSize(KeyFamily family) => family switch
        {
            KeyFamily.Rsa => 2048,
            KeyFamily.Ecc => 256,
            _ => Sm2Size,
        };

        private static string FamilyLabel(KeyFamily family) => family switch
        {
            KeyFamily.Rsa => "RSA",
            KeyFamily.Ecc => "ECC",
            _ => "SM2",
        };

        public bool Equals(KeySpec? other) => other is not null && other.Family == Family && other.Size == Size;

        public override bool Equals(object? obj) => Equals(obj as KeySpec);

        public override int GetHashCode() => ((int)Family * 397) ^ Size;
    }
}
