namespace PalmLab.Engine.Synthetic;

/// <summary>Smooth, seeded value noise in [-1, 1] and a per-pixel hash: the same inputs give the same values on every run.</summary>
internal static class ValueNoise
{
    /// <summary>Noise with features about one unit apart.</summary>
    public static float Sample(float x, float y, uint seed)
    {
        var (fx, fy) = (MathF.Floor(x), MathF.Floor(y));
        var (ix, iy) = ((int)fx, (int)fy);
        var (tx, ty) = (x - fx, y - fy);
        (tx, ty) = (tx * tx * (3 - 2 * tx), ty * ty * (3 - 2 * ty));
        var a = Lattice(ix, iy, seed);
        var b = Lattice(ix + 1, iy, seed);
        var c = Lattice(ix, iy + 1, seed);
        var d = Lattice(ix + 1, iy + 1, seed);
        return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
    }

    /// <summary>Two octaves of <see cref="Sample"/>, still in about [-1, 1].</summary>
    public static float Fractal(float x, float y, uint seed) => 0.67f * Sample(x, y, seed) + 0.33f * Sample(2.03f * x + 17.1f, 2.03f * y - 9.7f, seed + 1);

    /// <summary>A uniform value in [-1, 1] for an integer position.</summary>
    public static float Lattice(int x, int y, uint seed) => Hash((uint)x * 0x8DA6B343u ^ (uint)y * 0xD8163841u ^ seed * 0xCB1AB31Fu) * (2f / uint.MaxValue) - 1f;

    private static uint Hash(uint h)
    {
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return h;
    }
}
