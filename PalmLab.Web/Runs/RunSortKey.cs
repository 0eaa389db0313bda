namespace PalmLab.Web.Runs;

/// <summary>The columns the runs list sorts by; their lower-case names are the URL's <c>sort=</c> values.</summary>
public enum RunSortKey
{
    Created,
    Name,
    Status,
    Model,
    DataSet,
    Auc,
    Accuracy,
}
