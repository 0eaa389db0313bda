namespace PalmLab.Engine.Synthetic;

/// <summary>The three iChallenge-PM classes, as the training file names' first letter says (N, H, P).</summary>
public enum FundusClass
{
    /// <summary>N*: normal fundus, label 0.</summary>
    Normal,

    /// <summary>H*: high myopia without pathology (mild tessellation), label 0.</summary>
    HighMyopia,

    /// <summary>P*: pathologic myopia (peripapillary and patchy atrophy, tessellation), label 1.</summary>
    Pathologic,
}
