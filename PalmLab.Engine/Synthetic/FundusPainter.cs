using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Engine.Synthetic;

/// <summary>
/// Paints a <see cref="FundusScene"/> pixel by pixel: fundus, macula, choroid, atrophy, disc and vessels, then balances
/// the mean colour and adds sensor noise. Smooth quantities come from <see cref="CoarseField"/>s; the loop has no
/// lambdas, so its locals stay in registers.
/// </summary>
internal static class FundusPainter
{
    /// <summary>Paints the scene; with <paramref name="regions"/> (Width * Height values), also records what each pixel shows.</summary>
    public static Image<Rgb24> Paint(FundusScene scene, FundusRegion[]? regions = null)
    {
        var (width, height) = (scene.Width, scene.Height);
        var d = scene.DiscDiameter;
        var radius = scene.FieldRadius;
        var fine = Math.Max(1, (int)(d / 25));
        using var arteries = Draw(scene, scene.Arteries);
        using var veins = Draw(scene, scene.Veins);
        var (atrophy, pigment) = DrawAtrophy(scene);
        using var atrophyMask = atrophy;
        using var pigmentMask = pigment;
        var choroid = scene.Tessellation > 0 || scene.Atrophy.Count > 0 ? new CoarseField(width, height, fine, new ChoroidPattern(scene, 4 * fine).Wave) : null;
        var light = Illumination(scene, 4 * fine);
        var mottle = Noise(scene, 2 * fine, 0.15f * d, scene.NoiseSeed + 7, 0.07f);
        var patchy = Noise(scene, 4 * fine, 0.4f * d, scene.NoiseSeed + 41, 0.1f);
        var macula = Macula(scene, 2 * fine);

        var foveaSigma2 = 2 * (0.1f * d) * (0.1f * d);
        var reflexSigma2 = 2 * (0.025f * d) * (0.025f * d);
        var (cos, sin) = (MathF.Cos(scene.Rotation), MathF.Sin(scene.Rotation));
        var discReach = 1.3f * Math.Max(scene.DiscRadiusX, scene.DiscRadiusY);
        var (cupX, cupY) = (scene.DiscX + (scene.FoveaX - scene.DiscX) * 0.04f, scene.DiscY + (scene.FoveaY - scene.DiscY) * 0.04f);
        var (fr, fg, fb) = scene.FundusColor;
        var (dr, dg, db) = scene.DiscColor;
        var tessellation = scene.Tessellation;

        var pixels = ArrayPool<float>.Shared.Rent(3 * width * height);
        Array.Clear(pixels, 0, 3 * width * height);
        double sumR = 0, sumG = 0, sumB = 0;
        long inside = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = y * width + x;
                var (ox, oy) = (x + 0.5f - scene.CenterX, y + 0.5f - scene.CenterY);
                var r = MathF.Sqrt(ox * ox + oy * oy);
                if (r > radius + 1)
                {
                    continue;
                }
                var texture = 1 + mottle.At(x, y);
                float red = fr * texture, green = fg * texture, blue = fb * texture;

                // Macula: a darker, browner area round the fovea's pit and its small light reflex.
                var darker = macula.At(x, y);
                var (fx, fy) = (x - scene.FoveaX, y - scene.FoveaY);
                var foveaDistance2 = fx * fx + fy * fy;
                var pit = 0f;
                if (foveaDistance2 < d * d / 4)
                {
                    pit = 0.25f * MathF.Exp(-foveaDistance2 / foveaSigma2);
                    var reflex = scene.FovealReflex * MathF.Exp(-foveaDistance2 / reflexSigma2);
                    (red, green, blue) = (red + reflex, green + reflex, blue + reflex * 0.8f);
                }
                red *= 1 - darker - pit;
                green *= 1 - 1.2f * darker - pit;
                blue *= 1 - 0.8f * darker - pit;

                // The choroid's lines converge on the disc, so they fade out close to it.
                var (px, py) = (x + 0.5f - scene.DiscX, y + 0.5f - scene.DiscY);
                var fromDisc = choroid is null ? 0 : MathF.Sqrt(px * px + py * py) / d;
                var fade = Math.Clamp(fromDisc - 1f, 0, 1);
                if (tessellation > 0 && fade > 0)
                {
                    // Tessellation: the choroid's vessels show orange between darker, pigmented spaces.
                    var vessel = ChoroidPattern.Vessel(choroid!.At(x, y));
                    var strength = tessellation * (0.7f + 0.3f * texture) * fade;
                    var space = strength * (1 - vessel);
                    red = red * (1 - 0.42f * space) + strength * vessel * 25;
                    green = green * (1 - 0.35f * space) + strength * vessel * 12;
                    blue = blue * (1 - 0.15f * space);
                }

                var atrophic = atrophy.Values[i];
                if (atrophic > 0)
                {
                    // Bare sclera, pale yellow-white, crossed by the few large choroidal vessels that remain.
                    var shade = texture + patchy.At(x, y);
                    var large = choroid is null ? 0 : SmoothStep(0.9f, 0.99f, choroid.At(x, y)) * Math.Clamp((fromDisc - 0.8f) / 1.2f, 0, 1);
                    red += ((250 - 40 * large) * shade - red) * atrophic;
                    green += ((235 - 110 * large) * shade - green) * atrophic;
                    blue += ((185 - 110 * large) * shade - blue) * atrophic;
                }
                var pigmented = pigment.Values[i];
                if (pigmented > 0)
                {
                    red += (60 - red) * pigmented;
                    green += (38 - green) * pigmented;
                    blue += (26 - blue) * pigmented;
                }

                // Disc: a yellowish ellipse with a paler cup, brighter than anything round it.
                var glow = 0f;
                if (Math.Abs(px) < discReach && Math.Abs(py) < discReach)
                {
                    var (u, v) = ((px * cos + py * sin) / scene.DiscRadiusX, (-px * sin + py * cos) / scene.DiscRadiusY);
                    var q = MathF.Sqrt(u * u + v * v);
                    var disc = SmoothStep(1.08f, 0.92f, q);
                    if (disc > 0)
                    {
                        var (cx, cy) = ((x + 0.5f - cupX) / scene.DiscRadiusX, (y + 0.5f - cupY) / scene.DiscRadiusY);
                        var cup = SmoothStep(scene.CupRatio + 0.15f, scene.CupRatio - 0.1f, MathF.Sqrt(cx * cx + cy * cy));
                        var rimShade = 1 - 0.12f * q * q;
                        red += (dr * rimShade + (255 - dr) * cup - red) * disc;
                        green += (dg * rimShade + (228 - dg) * cup - green) * disc;
                        blue += (db * rimShade + (180 - db) * cup - blue) * disc;
                        glow = disc;
                    }
                }

                var artery = arteries.Values[i];
                red += (fr * 0.82f - red) * artery;
                green += (fg * 0.45f - green) * artery;
                blue += (fb * 0.7f - blue) * artery;
                var vein = veins.Values[i];
                red += (fr * 0.6f - red) * vein;
                green += (fg * 0.3f - green) * vein;
                blue += (fb * 0.6f - blue) * vein;

                // The disc stays the brightest thing even where the illumination falls off; the field's rim is anti-aliased.
                var lit = light.At(x, y);
                lit = (lit + (1 - lit) * 0.6f * glow) * Math.Clamp(radius - r + 0.5f, 0, 1);
                (red, green, blue) = (red * lit, green * lit, blue * lit);
                pixels[3 * i] = red;
                pixels[3 * i + 1] = green;
                pixels[3 * i + 2] = blue;
                if (regions is not null && r <= radius)
                {
                    regions[i] = atrophic >= 0.5f || pigment.Values[i] >= 0.5f ? FundusRegion.Lesion : FundusRegion.Fundus;
                }
                if (r <= radius)
                {
                    (sumR, sumG, sumB, inside) = (sumR + red, sumG + green, sumB + blue, inside + 1);
                }
            }
        }

        // The mean colour is set to one drawn independently of the class: lesions change the pattern, not the average.
        var count = Math.Max(inside, 1);
        var target = scene.TargetMean;
        var image = Finish(pixels, width, height,
            (float)(target.R * count / Math.Max(sumR, 1)), (float)(target.G * count / Math.Max(sumG, 1)), (float)(target.B * count / Math.Max(sumB, 1)),
            scene.NoiseSeed + 13);
        ArrayPool<float>.Shared.Return(pixels);
        return image;
    }

    // Vignetting round an off-centre light, uneven illumination, and the dark rim of the field of view.
    private static CoarseField Illumination(FundusScene scene, int step)
    {
        var scale = 1 / scene.FieldRadius;
        var rimScale = 1 / (scene.FieldRadius * scene.FieldRadius);
        return new CoarseField(scene.Width, scene.Height, step, (x, y) =>
        {
            var (lx, ly) = ((x - scene.LightX) * scale, (y - scene.LightY) * scale);
            var spread = Math.Min(1, 0.8f * (lx * lx + ly * ly));
            var (ox, oy) = (x - scene.CenterX, y - scene.CenterY);
            var rim = (ox * ox + oy * oy) * rimScale;
            rim *= rim;
            var noise = 0.12f * ValueNoise.Sample(2 * x * scale, 2 * y * scale, scene.NoiseSeed);
            return (1 - scene.Vignetting * spread * MathF.Sqrt(spread) + noise) * (1 - 0.5f * rim * rim);
        });
    }

    private static CoarseField Noise(FundusScene scene, int step, float featureSize, uint seed, float amplitude) =>
        new(scene.Width, scene.Height, step, (x, y) => amplitude * ValueNoise.Fractal(x / featureSize, y / featureSize, seed));

    private static CoarseField Macula(FundusScene scene, int step)
    {
        var sigma2 = 2 * (0.6f * scene.DiscDiameter) * (0.6f * scene.DiscDiameter);
        var reach2 = 4 * scene.DiscDiameter * scene.DiscDiameter;
        return new CoarseField(scene.Width, scene.Height, step, (x, y) =>
        {
            var (fx, fy) = (x - scene.FoveaX, y - scene.FoveaY);
            var distance2 = fx * fx + fy * fy;
            return distance2 < reach2 ? scene.MaculaDarkening * MathF.Exp(-distance2 / sigma2) : 0;
        });
    }

    private static Image<Rgb24> Finish(float[] pixels, int width, int height, float gainR, float gainG, float gainB, uint seed)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = 3 * (y * width + x);
                    var grain = 3 * ValueNoise.Lattice(x, y, seed) + 0.5f;
                    row[x] = new Rgb24(ToByte(pixels[i] * gainR + grain), ToByte(pixels[i + 1] * gainG + grain), ToByte(pixels[i + 2] * gainB + grain));
                }
            }
        });
        return image;
    }

    private static StrokeMask Draw(FundusScene scene, List<VesselSegment> segments)
    {
        var mask = new StrokeMask(scene.Width, scene.Height);
        foreach (var s in segments)
        {
            mask.Segment(s.X0, s.Y0, s.W0, s.X1, s.Y1, s.W1, s.Opacity, Math.Max(0.7f, 0.45f * s.W0));
        }
        return mask;
    }

    private static (StrokeMask Atrophy, StrokeMask Pigment) DrawAtrophy(FundusScene scene)
    {
        var atrophy = new StrokeMask(scene.Width, scene.Height);
        var pigment = new StrokeMask(scene.Width, scene.Height);
        foreach (var patch in scene.Atrophy)
        {
            var reach = patch.Radius * (1 + patch.Amplitudes.Sum()) + 2;
            var band = Math.Max(1.2f, 0.12f * patch.Radius);
            for (var y = Math.Max(0, (int)(patch.Y - reach)); y <= Math.Min(scene.Height - 1, (int)(patch.Y + reach)); y++)
            {
                for (var x = Math.Max(0, (int)(patch.X - reach)); x <= Math.Min(scene.Width - 1, (int)(patch.X + reach)); x++)
                {
                    var (dx, dy) = (x + 0.5f - patch.X, y + 0.5f - patch.Y);
                    var distance = MathF.Sqrt(dx * dx + dy * dy);
                    var angle = MathF.Atan2(dy, dx);
                    var boundary = patch.Radius;
                    for (var k = 0; k < patch.Amplitudes.Length; k++)
                    {
                        boundary += patch.Radius * patch.Amplitudes[k] * MathF.Cos((k + 2) * angle + patch.Phases[k]);
                    }
                    var i = y * scene.Width + x;
                    var inside = Math.Clamp(boundary - distance + 0.5f, 0, 1);
                    atrophy.Values[i] = Math.Max(atrophy.Values[i], inside);
                    // Pigment clumps along parts of the rim.
                    var rim = Math.Clamp(1 - Math.Abs(boundary - distance) / band, 0, 1);
                    if (rim > 0)
                    {
                        var lobes = 0.3f + 0.7f * MathF.Max(0, MathF.Cos(patch.PigmentLobes * angle + patch.PigmentPhase));
                        var clumps = Math.Clamp(0.5f + 2 * ValueNoise.Sample(x / band, y / band, scene.NoiseSeed + 29), 0, 1);
                        pigment.Values[i] = Math.Max(pigment.Values[i], patch.Pigment * rim * lobes * clumps);
                    }
                }
            }
        }
        return (atrophy, pigment);
    }

    private static float SmoothStep(float edge0, float edge1, float x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    // Highlights roll off instead of clipping, as a camera's do. The caller adds 0.5 so truncation rounds.
    private static byte ToByte(float value)
    {
        const float knee = 200;
        if (value > knee)
        {
            value = knee + (255 - knee) * (1 - MathF.Exp(-(value - knee) / (255 - knee)));
        }
        return (byte)Math.Clamp(value, 0, 255);
    }
}
