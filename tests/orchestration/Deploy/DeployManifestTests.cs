using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Aqs.Orchestration.Tests.Deploy;

/// <summary>deploy/: the image and the Kubernetes manifests, read as Kubernetes and Docker would read them.</summary>
public class DeployManifestTests
{
    private static readonly string[] Kernels = ["preprocess", "encode", "network", "display"];

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root(), "deploy", "k8s", file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static IEnumerable<TestCaseData> PodSpecs()
    {
        yield return new TestCaseData("session-pod.yaml", new[] { "spec" }).SetArgDisplayNames("Pod");
        yield return new TestCaseData("sessions-deployment.yaml", new[] { "spec", "template", "spec" }).SetArgDisplayNames("Deployment");
    }

    [TestCaseSource(nameof(PodSpecs))]
    public void One_pod_runs_the_four_kernels_as_four_containers_sharing_a_memory_backed_dev_shm(string file, string[] specPath)
    {
        var spec = At(Load(file), specPath);
        var containers = ((YamlSequenceNode)At(spec, "containers")).Children.Cast<YamlMappingNode>().ToList();
        var volumes = ((YamlSequenceNode)At(spec, "volumes")).Children.Cast<YamlMappingNode>().ToList();
        var shm = volumes.Single(v => Text(v, "name") == "shm");

        Assert.Multiple(() =>
        {
            Assert.That(containers.Select(c => Text(c, "name")), Is.EquivalentTo(Kernels));
            Assert.That(Text(shm, "emptyDir", "medium"), Is.EqualTo("Memory"));
            Assert.That(Text(spec, "shareProcessNamespace"), Is.EqualTo("true"), "rings judge peers by pid");
            foreach (var container in containers)
            {
                var name = Text(container, "name");
                var mounts = ((YamlSequenceNode)At(container, "volumeMounts")).Children.Cast<YamlMappingNode>();
                Assert.That(mounts.Any(m => Text(m, "name") == "shm" && Text(m, "mountPath") == "/dev/shm"), Is.True, name + " mounts /dev/shm");
                var command = ((YamlSequenceNode)At(container, "command")).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
                Assert.That(command, Does.Contain($"/app/kernel-{name}.dll"), name);
                Assert.That(command, Does.Contain("--session").And.Contain("--control-port"), name);
                foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
                {
                    var exec = ((YamlSequenceNode)At(container, probe, "exec", "command")).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
                    Assert.That(exec, Does.Contain("probe").And.Contain(name), $"{name} {probe} asks for its own heartbeat");
                }
                foreach (var kind in new[] { "requests", "limits" })
                {
                    Assert.That(Text(container, "resources", kind, "cpu"), Is.Not.Empty, $"{name} {kind} cpu");
                    Assert.That(Text(container, "resources", kind, "memory"), Does.EndWith("i"), $"{name} {kind} memory");
                }
            }
        });
    }

    [Test]
    public void The_deployment_runs_the_session_pod_as_it_is_written()
    {
        var pod = At(Load("session-pod.yaml"), "spec");
        var template = At(Load("sessions-deployment.yaml"), "spec", "template", "spec");

        Assert.That(template.ToString(), Is.EqualTo(pod.ToString()));
    }

    [Test]
    public void The_image_publishes_every_kernel_into_one_folder_the_launcher_finds()
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "deploy", "Dockerfile"));
        var text = string.Join('\n', lines);

        Assert.Multiple(() =>
        {
            Assert.That(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)), Is.EqualTo(3));
            foreach (var kernel in Kernels)
            {
                Assert.That(text, Does.Contain($"kernel-{kernel}/Aqs.Kernel."), kernel);
            }
            Assert.That(text, Does.Contain("ENV AQS_KERNEL_DIR=/app"));
            Assert.That(text, Does.Contain("orchestration/web/package.json"), "uPlot comes from npm at build time");
            Assert.That(lines.Last(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)), Does.Contain("/app/aqs.dll"));
            foreach (var package in new[] { "ffmpeg", "libavcodec59", "libisal2", "libvulkan1" })
            {
                Assert.That(text, Does.Contain(package), package);
            }
        });
    }

    [Test]
    [CancelAfter(1_800_000)]
    public void The_image_builds_where_a_docker_engine_runs()
    {
        if (!DockerEngineAnswers())
        {
            Assert.Ignore("no Docker engine answers `docker info` here: the image is checked by reading its Dockerfile only");
        }
        using var build = Process.Start(new ProcessStartInfo("docker", "build -f deploy/Dockerfile -t aqs-quad:test .")
        {
            WorkingDirectory = Root(),
            UseShellExecute = false,
        })!;
        build.WaitForExit();
        Assert.That(build.ExitCode, Is.Zero);
    }

    private static bool DockerEngineAnswers()
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo("docker", "info") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            return info is not null && info.WaitForExit(TimeSpan.FromSeconds(20)) && info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client at all
        }
    }
}
