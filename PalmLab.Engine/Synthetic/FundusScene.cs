namespace PalmLab.Engine.Synthetic;

/// <summary>
/// Everything random about one synthetic fundus photograph, drawn from one <see cref="Random"/>: the field of view,
/// eye side and rotation, the disc, fovea and vessels, the class's lesions, and the colours. Sizes scale with the disc
/// diameter, so any image size gives the same picture.
/// </summary>
internal sealed class FundusScene
{
    private readonly Random _random;
    private readonly float _cos, _sin, _mirror;
    private readonly (float X, float Y) _fovea, _disc; // in the canonical frame

    private FundusScene(FundusClass kind, int width, int height, Random random)
    {
        _random = random;
        (Width, Height) = (width, height);
        var half = Math.Min(width, height) / 2f;
        FieldRadius = half * Uniform(0.9f, 1.07f);
        (CenterX, CenterY) = (width / 2f + half * Uniform(-0.04f, 0.04f), height / 2f + half * Uniform(-0.04f, 0.04f));
        _mirror = random.Next(2) == 0 ? 1 : -1; // right or left eye: the disc on the right or the left of the fovea
        var angle = Uniform(-0.2f, 0.2f);
        (_cos, _sin) = (MathF.Cos(angle), MathF.Sin(angle));
        Rotation = angle;
        DiscDiameter = FieldRadius * Uniform(0.21f, 0.28f);
        var d = DiscDiameter;

        // Canonical frame: origin at the field's centre, +x nasal, +y down. The fovea lies ~2.5 disc diameters temporal to the disc.
        var fovea = (X: Uniform(-0.3f, 0.05f) * FieldRadius, Y: Uniform(-0.05f, 0.12f) * FieldRadius);
        var disc = (X: fovea.X + 2.5f * d * Uniform(0.9f, 1.1f), Y: fovea.Y - d * Uniform(0.1f, 0.45f));
        var overshoot = MathF.Sqrt(disc.X * disc.X + disc.Y * disc.Y) - (FieldRadius - 0.65f * d);
        if (overshoot > 0)
        {
            (fovea.X, disc.X) = (fovea.X - overshoot, disc.X - overshoot);
        }
        _fovea = fovea;
        _disc = disc;
        (FoveaX, FoveaY) = ToImage(fovea.X, fovea.Y);
        (DiscX, DiscY) = ToImage(disc.X, disc.Y);
        DiscRadiusX = d / 2 * Uniform(0.92f, 1f);
        DiscRadiusY = d / 2 * Uniform(1.02f, 1.15f);
        CupRatio = Uniform(0.15f, 0.4f);

        // The fundus has the tint of the target mean, so balancing the mean later scales brightness, not hue, and a
        // white disc stays white.
        var (green, blue) = (Uniform(0.3f, 0.45f), Uniform(0.08f, 0.2f));
        var red = Uniform(190, 225);
        FundusColor = (red, red * green, red * blue);
        red = Uniform(100, 190);
        TargetMean = (red, red * green * Uniform(0.95f, 1.05f), red * blue * Uniform(0.95f, 1.05f));
        DiscColor = (Uniform(245, 255), Uniform(175, 205), Uniform(105, 135));
        Vignetting = Uniform(0.35f, 0.65f);
        (LightX, LightY) = (CenterX + half * Uniform(-0.25f, 0.25f), CenterY + half * Uniform(-0.25f, 0.25f));
        MaculaDarkening = Uniform(0.2f, 0.4f);
        FovealReflex = random.Next(3) == 0 ? 0 : Uniform(20, 60);
        NoiseSeed = (uint)random.Next();
        ChoroidStripes = random.Next(60, 80);

        GrowRetinalVessels();
        // Pathologic severity runs from barely visible (a thin crescent, no patches) to florid.
        var severity = kind == FundusClass.Pathologic ? Uniform(0f, 1f) : 0;
        Tessellation = kind switch
        {
            FundusClass.HighMyopia => Uniform(0.25f, 0.5f),
            FundusClass.Pathologic => 0.45f + 0.5f * severity,
            _ => 0,
        };
        if (kind == FundusClass.Pathologic)
        {
            AddAtrophy(severity);
        }
    }

    public int Width { get; }

    public int Height { get; }

    public float CenterX { get; }

    public float CenterY { get; }

    public float FieldRadius { get; }

    public float Rotation { get; }

    public float DiscDiameter { get; }

    public float DiscX { get; }

    public float DiscY { get; }

    /// <summary>Half-axes of the disc's ellipse across and along the (rotated) vertical.</summary>
    public float DiscRadiusX { get; }

    public float DiscRadiusY { get; }

    public float CupRatio { get; }

    public float FoveaX { get; }

    public float FoveaY { get; }

    /// <summary>How visible the choroidal vessel pattern is: 0 for N, mild for H, stronger for P.</summary>
    public float Tessellation { get; }

    public (float R, float G, float B) FundusColor { get; }

    public (float R, float G, float B) DiscColor { get; }

    /// <summary>The mean colour inside the field of view after rendering, drawn independently of the class.</summary>
    public (float R, float G, float B) TargetMean { get; }

    public float Vignetting { get; }

    public float LightX { get; }

    public float LightY { get; }

    public float MaculaDarkening { get; }

    public float FovealReflex { get; }

    public uint NoiseSeed { get; }

    /// <summary>How many choroidal vessels radiate round the disc (whole, so the pattern closes on itself).</summary>
    public int ChoroidStripes { get; }

    public List<VesselSegment> Arteries { get; } = [];

    public List<VesselSegment> Veins { get; } = [];

    public List<AtrophyPatch> Atrophy { get; } = [];

    public static FundusScene Create(FundusClass kind, int width, int height, Random random) => new(kind, width, height, random);

    private void GrowRetinalVessels()
    {
        var d = DiscDiameter;
        // Temporal arcades leave the disc upwards and downwards and bend round the macula; nasal vessels run straighter.
        foreach (var side in new[] { -1f, 1f })
        {
            Trunk(side * (MathF.PI / 2 + Uniform(-0.1f, 0.2f)), side * Uniform(0.6f, 0.8f) / d, 6.5f * d, 1.3f * d);
            Trunk(side * Uniform(0.5f, 1.0f), Uniform(-0.1f, 0.1f) / d, 4.5f * d, 0);
        }
        // Small papillomacular vessels head straight for the macula.
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            Grow(Arteries, _disc.X, _disc.Y, MathF.PI + Uniform(-0.35f, 0.35f), 0.03f * d, Uniform(0.8f, 1.6f) * d, 0, 2, 0);
        }
    }

    private void Trunk(float angle, float bend, float length, float bendPeak)
    {
        var d = DiscDiameter;
        var (x, y) = (_disc.X + Uniform(-0.1f, 0.1f) * d, _disc.Y + Uniform(-0.1f, 0.1f) * d);
        Grow(Veins, x, y, angle + Uniform(-0.15f, 0.15f), 0.09f * d * Uniform(0.9f, 1.1f), length * Uniform(0.9f, 1.1f), bend, 0, bendPeak);
        Grow(Arteries, x, y, angle + Uniform(-0.15f, 0.15f), 0.065f * d * Uniform(0.9f, 1.1f), length * Uniform(0.9f, 1.1f), bend, 0, bendPeak);
    }

    // A random walk from (x, y) in the canonical frame that tapers and branches. With bendPeak > 0 the bend grows until
    // that distance and fades over twice it, so an arcade rises from the disc before it sweeps round the macula.
    private void Grow(List<VesselSegment> into, float x, float y, float angle, float width, float length, float bend, int depth, float bendPeak)
    {
        var d = DiscDiameter;
        var step = Math.Max(1f, 0.05f * d);
        var nextBranch = d * Uniform(0.4f, 0.9f);
        for (var s = 0f; s < length; s += step)
        {
            var w0 = width * (1 - 0.6f * s / length);
            var w1 = width * (1 - 0.6f * (s + step) / length);
            var bendNow = bendPeak <= 0 ? 1 : s < bendPeak ? s / bendPeak : Math.Max(0, 1 - (s - bendPeak) / (2 * bendPeak));
            angle += bend * bendNow * step + Normal() * 0.16f * MathF.Sqrt(step / d);
            var (nx, ny) = (x + MathF.Cos(angle) * step, y + MathF.Sin(angle) * step);
            var (fx, fy) = (nx - _fovea.X, ny - _fovea.Y);
            if (nx * nx + ny * ny > FieldRadius * FieldRadius * 1.05f || fx * fx + fy * fy < 0.09f * d * d)
            {
                return;
            }
            var (ax, ay) = ToImage(x, y);
            var (bx, by) = ToImage(nx, ny);
            into.Add(new VesselSegment(ax, ay, Math.Max(w0, 0.8f), bx, by, Math.Max(w1, 0.8f), Math.Min(1, 0.2f + w1 / (0.07f * d))));
            (x, y) = (nx, ny);
            if (s >= nextBranch && depth < 2)
            {
                var turn = (_random.Next(2) == 0 ? -1 : 1) * Uniform(0.5f, 1.1f);
                Grow(into, x, y, angle + turn, w1 * Uniform(0.55f, 0.75f), Math.Min(length - s, d * Uniform(1f, 3f)) + d * 0.3f,
                    Uniform(-0.3f, 0.3f) / d, depth + 1, 0);
                nextBranch += d * Uniform(0.6f, 1.3f) * (depth + 1);
            }
        }
    }

    private void AddAtrophy(float severity)
    {
        var d = DiscDiameter;
        var (tx, ty) = (FoveaX - DiscX, FoveaY - DiscY);
        var toFovea = MathF.Sqrt(tx * tx + ty * ty);
        (tx, ty) = (tx / toFovea, ty / toFovea);

        // Peripapillary atrophy: a circle shifted towards the fovea, so it shows as a temporal crescent, or a ring when severe.
        var temporal = 0.35f + 1.4f * severity;
        var ring = severity > 0.6f ? Uniform(0.15f, 0.5f) : Uniform(0f, 0.12f);
        var radius = DiscRadiusY * (1 + (temporal + ring) / 2);
        var offset = DiscRadiusX * (temporal - ring) / 2;
        Atrophy.Add(Patch(DiscX + tx * offset, DiscY + ty * offset, radius, 0.12f, severity));

        var patches = severity < 0.3f ? 0 : 1 + (int)((severity - 0.3f) * 6);
        for (var i = 0; i < patches; i++)
        {
            // Patchy atrophy gathers round the disc and in the macula.
            var nearDisc = _random.Next(2) == 0;
            var (px, py) = nearDisc ? (DiscX, DiscY) : (FoveaX, FoveaY);
            var distance = d * (nearDisc ? Uniform(0.8f, 1.8f) : Uniform(0f, 1.3f));
            var direction = Uniform(0, 2 * MathF.PI);
            var size = d * Uniform(0.2f, 0.55f) * (0.7f + 0.8f * severity);
            Atrophy.Add(Patch(px + distance * MathF.Cos(direction), py + distance * MathF.Sin(direction), size, 0.35f, Uniform(0.3f, 1f)));
        }
    }

    private AtrophyPatch Patch(float x, float y, float radius, float roughness, float pigment)
    {
        var amplitudes = new float[6];
        var phases = new float[6];
        for (var k = 0; k < amplitudes.Length; k++)
        {
            amplitudes[k] = roughness * Uniform(0, 1) / (k + 1);
            phases[k] = Uniform(0, 2 * MathF.PI);
        }
        return new AtrophyPatch(x, y, radius, amplitudes, phases, pigment, _random.Next(1, 4), Uniform(0, 2 * MathF.PI));
    }

    private (float X, float Y) ToImage(float x, float y) =>
        (CenterX + _cos * _mirror * x - _sin * y, CenterY + _sin * _mirror * x + _cos * y);

    private float Uniform(float low, float high) => low + (high - low) * (float)_random.NextDouble();

    private float Normal() => (float)(Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble()));
}
