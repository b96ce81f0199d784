/// <summary>
/// The key families named on the command line (RSA_2048, ECC_256, SM2_256), which limit the sections that run per
/// family (ca, stages) to them, for instance to profile one: `-- stages ECC_256`. None named: every family.
/// </summary>
internal static class FamilyFilter
{
    public static readonly string[] All = { "RSA_2048", "ECC_256", "SM2_256" };

    private static readonly List<string> Named = new();

    /// <summary>Takes <paramref name="argument"/> if it names a family.</summary>
    public static bool TryAdd(string argument)
    {
        var family = All.FirstOrDefault(f => string.Equals(f, argument, StringComparison.OrdinalIgnoreCase));
        if (family == null) return false;
        if (!Named.Contains(family)) Named.Add(family);
        return true;
    }

    public static IEnumerable<T> Apply<T>(IEnumerable<T> items, Func<T, string> family) =>
        Named.Count == 0 ? items : items.Where(i => Named.Contains(family(i)));
}
