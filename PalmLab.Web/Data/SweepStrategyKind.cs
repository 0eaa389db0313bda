namespace PalmLab.Web.Data;

public enum SweepStrategyKind
{
    Grid,
    Random,
}
