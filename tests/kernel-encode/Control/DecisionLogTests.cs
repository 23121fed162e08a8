using Aqs.Kernel.Encode.Control;

namespace Aqs.Kernel.Encode.Tests.Control;

public class DecisionLogTests
{
    [Test]
    public void A_restarted_kernel_ends_the_line_its_killed_predecessor_left_torn_before_appending()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aqs-decisions-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, "{\"t\":1.0,\"frame\":1}\n{\"t\":1.1,\"fra");

            new DecisionLog(path, 0).Dispose();

            Assert.That(File.ReadAllText(path), Is.EqualTo("{\"t\":1.0,\"frame\":1}\n{\"t\":1.1,\"fra\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_whole_file_is_appended_to_as_it_is()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aqs-decisions-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, "{\"t\":1.0,\"frame\":1}\n");

            new DecisionLog(path, 0).Dispose();

            Assert.That(File.ReadAllText(path), Is.EqualTo("{\"t\":1.0,\"frame\":1}\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
