using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Engine.Synthetic;

/// <summary>Paints a <see cref="FundusScene"/> pixel by pixel: fundus, macula, choroid, atrophy, disc, vessels, then colour balance and noise.</summary>
internal static class FundusPainter
{
    public static Image<Rgb24> Paint(FundusScene scene)
    {
        var (width, height) = (scene.Width, scene.Height);
        var arteries = Draw(scene, scene.Arteries, 0.7f);
        var veins = Draw(scene, scene.Veins, 0.7f);
        var fine = Math.Max(1, (int)(scene.DiscDiameter / 25));
        var choroid = scene.Tessellation > 0 || scene.Atrophy.Count > 0
            ? new CoarseField(width, height, fine, new ChoroidPattern(scene, 4 * fine).Wave)
            : null;
        var (atrophy, pigment) = DrawAtrophy(scene);

        var pixels = new float[3 * width * height];
        double sumR = 0, sumG = 0, sumB = 0;
        long inside = 0;
        var d = scene.DiscDiameter;
        var radius = scene.FieldRadius;
        var mottleScale = 1 / (0.15f * d);
        var lightScale = 1 / radius;
        var mottles = new CoarseField(width, height, 2 * fine, (x, y) => 1 + 0.07f * ValueNoise.Fractal(x * mottleScale, y * mottleScale, scene.NoiseSeed + 7));
        var patches = new CoarseField(width, height, 4 * fine, (x, y) => ValueNoise.Sample(x * mottleScale * 0.4f, y * mottleScale * 0.4f, scene.NoiseSeed + 41));
        var lights = new CoarseField(width, height, 8 * fine, (x, y) => 0.12f * ValueNoise.Sample(x * lightScale * 2, y * lightScale * 2, scene.NoiseSeed));
        var maculaSigma2 = 2 * (0.6f * d) * (0.6f * d);
        var foveaSigma2 = 2 * (0.1f * d) * (0.1f * d);
        var reflexSigma2 = 2 * (0.025f * d) * (0.025f * d);
        var (cos, sin) = (MathF.Cos(scene.Rotation), MathF.Sin(scene.Rotation));
        var discReach = 1.3f * Math.Max(scene.DiscRadiusX, scene.DiscRadiusY);
        var (cupX, cupY) = (scene.DiscX + (scene.FoveaX - scene.DiscX) * 0.04f, scene.DiscY + (scene.FoveaY - scene.DiscY) * 0.04f);
        var (fr, fg, fb) = scene.FundusColor;
        var (dr, dg, db) = scene.DiscColor;

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
                var edge = Math.Clamp(radius - r + 0.5f, 0, 1);
                var (lx, ly) = ((x - scene.LightX) * lightScale, (y - scene.LightY) * lightScale);
                var spread = Math.Min(1, 0.8f * (lx * lx + ly * ly));
                var rim = r * r / (radius * radius);
                rim *= rim;
                var light = (1 - scene.Vignetting * spread * MathF.Sqrt(spread) + lights.At(x, y)) * (1 - 0.5f * rim * rim);
                var mottle = mottles.At(x, y);
                float red = fr * mottle, green = fg * mottle, blue = fb * mottle;

                var (fx, fy) = (x - scene.FoveaX, y - scene.FoveaY);
                var foveaDistance2 = fx * fx + fy * fy;
                if (foveaDistance2 < 4 * d * d)
                {
                    var macula = scene.MaculaDarkening * MathF.Exp(-foveaDistance2 / maculaSigma2);
                    var pit = foveaDistance2 < d * d / 4 ? 0.25f * MathF.Exp(-foveaDistance2 / foveaSigma2) : 0;
                    red *= 1 - macula - pit;
                    green *= 1 - 1.2f * macula - pit;
                    blue *= 1 - 0.8f * macula - pit;
                    var reflex = foveaDistance2 < d * d / 25 ? scene.FovealReflex * MathF.Exp(-foveaDistance2 / reflexSigma2) : 0;
                    (red, green, blue) = (red + reflex, green + reflex, blue + reflex * 0.8f);
                }

                var atrophic = atrophy.Values[i];
                var (px, py) = (x + 0.5f - scene.DiscX, y + 0.5f - scene.DiscY);
                // The choroid's lines converge on the disc, so they fade out close to it.
                var fromDisc = choroid is null ? 0 : MathF.Sqrt(px * px + py * py) / d;
                var fade = Math.Clamp(fromDisc - 1f, 0, 1);
                var vessel = fade > 0 ? ChoroidPattern.Vessel(choroid!.At(x, y)) : 0;
                if (scene.Tessellation > 0)
                {
                    // Tessellation: the choroid's vessels show orange between darker, pigmented spaces.
                    var strength = scene.Tessellation * (0.7f + 0.3f * mottle) * fade;
                    var space = strength * (1 - vessel);
                    red = red * (1 - 0.42f * space) + strength * vessel * 25;
                    green = green * (1 - 0.35f * space) + strength * vessel * 12;
                    blue = blue * (1 - 0.15f * space);
                }

                if (atrophic > 0)
                {
                    // Bare sclera, pale yellow-white, crossed by the few large choroidal vessels that remain.
                    var shade = mottle + 0.1f * patches.At(x, y);
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
                        var discR = dr * rimShade + (255 - dr) * cup;
                        var discG = dg * rimShade + (228 - dg) * cup;
                        var discB = db * rimShade + (180 - db) * cup;
                        red += (discR - red) * disc;
                        green += (discG - green) * disc;
                        blue += (discB - blue) * disc;
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

                // The disc is the brightest thing in a fundus photograph, even where the illumination falls off.
                light += (1 - light) * 0.6f * glow;
                light *= edge;
                (red, green, blue) = (red * light, green * light, blue * light);
                pixels[3 * i] = red;
                pixels[3 * i + 1] = green;
                pixels[3 * i + 2] = blue;
                if (r <= radius)
                {
                    (sumR, sumG, sumB, inside) = (sumR + red, sumG + green, sumB + blue, inside + 1);
                }
            }
        }

        // The mean colour is set to one drawn independently of the class: lesions change the pattern, not the average.
        var count = Math.Max(inside, 1);
        var gain = (R: (float)(scene.TargetMean.R * count / Math.Max(sumR, 1)), G: (float)(scene.TargetMean.G * count / Math.Max(sumG, 1)),
            B: (float)(scene.TargetMean.B * count / Math.Max(sumB, 1)));
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    var i = y * width + x;
                    var grain = 3 * ValueNoise.Lattice(x, y, scene.NoiseSeed + 13) + 0.5f;
                    row[x] = new Rgb24(
                        ToByte(pixels[3 * i] * gain.R + grain),
                        ToByte(pixels[3 * i + 1] * gain.G + grain),
                        ToByte(pixels[3 * i + 2] * gain.B + grain));
                }
            }
        });
        return image;
    }

    private static StrokeMask Draw(FundusScene scene, List<VesselSegment> segments, float softness)
    {
        var mask = new StrokeMask(scene.Width, scene.Height);
        foreach (var s in segments)
        {
            mask.Segment(s.X0, s.Y0, s.W0, s.X1, s.Y1, s.W1, s.Opacity, Math.Max(softness, 0.45f * s.W0));
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
                    var lobes = 0.3f + 0.7f * MathF.Max(0, MathF.Cos(patch.PigmentLobes * angle + patch.PigmentPhase));
                    var clumps = Math.Clamp(0.5f + 2 * ValueNoise.Sample(x / band, y / band, scene.NoiseSeed + 29), 0, 1);
                    pigment.Values[i] = Math.Max(pigment.Values[i], patch.Pigment * rim * lobes * clumps);
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
