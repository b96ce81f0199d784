/// <summary>
/// A fixed-width text table printed row by row, so that a long section shows each result as soon as it is
/// measured. The first column is left-aligned, the others (figures) right-aligned.
/// </summary>
internal sealed class Table
{
    private readonly int[] _widths;

    public Table(params (string Header, int Width)[] columns)
    {
        _widths = columns.Select(c => Math.Max(c.Header.Length, c.Width)).ToArray();
        Row(columns.Select(c => c.Header).ToArray());
    }

    public void Row(params string[] cells) =>
        Console.WriteLine(string.Join("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(_widths[i]) : cell.PadLeft(_widths[i]))).TrimEnd());

    /// <summary>"met" or "NOT met", for a figure next to its target.</summary>
    public static string Verdict(bool met) => met ? "met" : "NOT met";
}
