namespace PalmLab.Engine.Synthetic;

/// <summary>
/// The large choroidal vessels that show through a thin (tessellated) or absent (atrophic) retina: two sets of stripes
/// that radiate from the disc, bent by noise so they wander, merge and part, and widen with distance as the real ones do.
/// </summary>
internal sealed class ChoroidPattern
{
    private readonly float _x, _y, _nearDisc2, _centerX, _centerY, _outside2;
    private readonly int _stripes;
    private readonly CoarseField _bend, _otherBend;

    /// <param name="scene">The disc's position and size and the number of stripes.</param>
    /// <param name="step">Grid step for the bends, which change over about half a disc diameter.</param>
    public ChoroidPattern(FundusScene scene, int step)
    {
        (_x, _y) = (scene.DiscX, scene.DiscY);
        _nearDisc2 = 0.7f * scene.DiscDiameter * (0.7f * scene.DiscDiameter);
        (_centerX, _centerY) = (scene.CenterX, scene.CenterY);
        _outside2 = (scene.FieldRadius + 2 * step) * (scene.FieldRadius + 2 * step);
        _stripes = scene.ChoroidStripes;
        var scale = 1 / (0.6f * scene.DiscDiameter);
        var seed = scene.NoiseSeed + 101;
        _bend = new CoarseField(scene.Width, scene.Height, step, (x, y) => 4f * ValueNoise.Fractal(x * scale, y * scale, seed));
        _otherBend = new CoarseField(scene.Width, scene.Height, step, (x, y) => 4f * ValueNoise.Fractal(x * scale + 40, y * scale - 13, seed + 2));
    }

    /// <summary>
    /// A smooth wave whose crests are the vessels; <see cref="Vessel"/> turns it into coverage. It is smooth so that it can
    /// be interpolated from a coarse grid without blocky edges.
    /// </summary>
    public float Wave(float x, float y)
    {
        var (dx, dy) = (x - _x, y - _y);
        var (ox, oy) = (x - _centerX, y - _centerY);
        if (dx * dx + dy * dy < _nearDisc2 || ox * ox + oy * oy > _outside2)
        {
            return -1; // close to the disc the pattern is faded out, outside the field of view it is black
        }
        var angle = MathF.Atan2(dy, dx);
        var (ix, iy) = ((int)x, (int)y);
        // Whole numbers of stripes round the circle, and bends taken from Cartesian noise: no seam anywhere.
        var first = MathF.Cos(_stripes * angle + _bend.At(ix, iy));
        var second = MathF.Cos(_stripes * 3 / 5 * angle + _otherBend.At(ix, iy));
        return Math.Max(first, second);
    }

    /// <summary>1 on a choroidal vessel, 0 in the pigmented space between vessels.</summary>
    public static float Vessel(float wave)
    {
        var t = Math.Clamp((wave + 0.05f) / 0.6f, 0, 1);
        return t * t * (3 - 2 * t);
    }
}
