namespace Aqs.Kernel.Display.Rendering;

/// <summary>Vulkan cannot be used here; the message is one line naming what to install.</summary>
public sealed class VulkanUnavailableException(string message) : Exception(message)
{
    public const string InstallHint = "install libvulkan1 and mesa-vulkan-drivers (lavapipe, Vulkan on the CPU) or a GPU's Vulkan driver, or run with --render off";
}
