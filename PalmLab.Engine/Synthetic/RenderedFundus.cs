using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Engine.Synthetic;

/// <summary>A synthetic photograph and, per pixel (row-major, Width x Height), the <see cref="FundusRegion"/> it shows.</summary>
public sealed record RenderedFundus(Image<Rgb24> Image, FundusRegion[] Regions) : IDisposable
{
    public void Dispose() => Image.Dispose();
}
