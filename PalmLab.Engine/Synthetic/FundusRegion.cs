namespace PalmLab.Engine.Synthetic;

/// <summary>What a pixel of a synthetic photograph shows, as its generator drew it.</summary>
public enum FundusRegion : byte
{
    /// <summary>The black surround outside the circular field of view.</summary>
    Surround = 0,

    /// <summary>The fundus inside the field of view, lesion-free.</summary>
    Fundus = 1,

    /// <summary>A pathologic lesion: chorioretinal atrophy or the pigment on its rim (at least half coverage).</summary>
    Lesion = 2,
}
