namespace Aqs.Orchestration;

/// <summary>The four kernel executables and where the build put them.</summary>
public enum KernelKind
{
    /// <summary>Kernel B: sources, publishes raw and ref rings.</summary>
    Preprocess,
    /// <summary>Kernel C: AQS loop and encoding.</summary>
    Encode,
    /// <summary>Kernel A: packetizer, FEC, UDP.</summary>
    Network,
    /// <summary>Kernel D: decode, render, quality.</summary>
    Display,
}

public static class KernelBinaries
{
    public static string ExecutableName(this KernelKind kind) => "kernel-" + kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The kernel's dll: beside the launcher's own build output (artifacts/bin/PROJECT/CONFIG/), or in
    /// AQS_KERNEL_DIR when set (a published layout with everything in one folder).
    /// </summary>
    public static string PathOf(KernelKind kind)
    {
        var file = kind.ExecutableName() + ".dll";
        var overrideDir = Environment.GetEnvironmentVariable("AQS_KERNEL_DIR");
        if (!string.IsNullOrEmpty(overrideDir))
        {
            return Path.Combine(overrideDir, file);
        }
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var sameFolder = Path.Combine(own.FullName, file);
        if (File.Exists(sameFolder))
        {
            return sameFolder;
        }
        var config = own.Name;                       // release | debug
        var binRoot = own.Parent?.Parent?.FullName;  // artifacts/bin
        var project = "Aqs.Kernel." + kind;
        return binRoot is null ? sameFolder : Path.Combine(binRoot, project, config, file);
    }
}

public static class KernelKinds
{
    /// <summary>The control-plane role the kernel publishes as.</summary>
    public static Aqs.Shared.Contracts.KernelRole Role(this KernelKind kind) => kind switch
    {
        KernelKind.Preprocess => Aqs.Shared.Contracts.KernelRole.Preprocess,
        KernelKind.Encode => Aqs.Shared.Contracts.KernelRole.Encode,
        KernelKind.Network => Aqs.Shared.Contracts.KernelRole.Network,
        _ => Aqs.Shared.Contracts.KernelRole.Display,
    };
}
