using static TorchSharp.torch;

namespace LrDoctor.Torch.Tests;

public sealed class NativeLoadTests
{
    [Fact]
    public void Libtorch_LoadsOnThisMachine_AndComputes()
    {
        // Fails with TypeInitializationException when the GLIBCXX_3.4.32 patch of the build did not apply.
        using var a = tensor(new float[] { 1f, 2f, 3f });
        using var b = a.mul(2f).sum();
        Assert.Equal(12f, b.item<float>());
    }
}
