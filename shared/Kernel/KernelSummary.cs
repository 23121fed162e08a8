using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aqs.Shared.Kernel;

/// <summary>
/// The totals a kernel prints as its last stdout line, <c>AQS-SUMMARY {json}</c>, for the launcher
/// to collect. Only measured values go in; a value never measured is left out, not zero.
/// </summary>
public static class KernelSummary
{
    public const string Prefix = "AQS-SUMMARY ";

    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Print(string kernel, IReadOnlyDictionary<string, object?> values)
    {
        var document = new Dictionary<string, object?>(values) { ["kernel"] = kernel };
        Console.Out.WriteLine(Prefix + JsonSerializer.Serialize(document, Options));
        Console.Out.Flush();
    }

    public static bool TryParse(string line, out JsonElement summary)
    {
        summary = default;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(line.AsMemory(Prefix.Length));
            summary = document.RootElement.Clone();
            return summary.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
