using System.Diagnostics;

namespace Aqs.Kernel.Encode.Tests;

public class ListEncodersTests
{
    [Test]
    [CancelAfter(60_000)]
    public void List_encoders_names_libx264_with_its_bit_depths_and_needs_no_session()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "kernel-encode.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--list-encoders");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.Zero, stderr.Result);
            Assert.That(stdout, Does.Match(@"libx264\s+h264\s+software\s+8/10"));
            Assert.That(stdout, Does.Contain("h264_nvenc"), "hardware encoders are listed with why they are unavailable");
        });
    }
}
