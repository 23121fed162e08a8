namespace Aqs.Kernel.Display.Rendering;

/// <summary>The SPIR-V that glslc compiled from Shaders/*.comp at build time, embedded in this assembly.</summary>
internal static class VulkanShaders
{
    public static byte[] Load(string name)
    {
        using var stream = typeof(VulkanShaders).Assembly.GetManifestResourceStream($"shaders/{name}.spv")
            ?? throw new InvalidOperationException($"shader {name}.spv is not embedded: the build did not run glslc (install glslc and rebuild)");
        var code = new byte[stream.Length];
        stream.ReadExactly(code);
        return code;
    }
}
