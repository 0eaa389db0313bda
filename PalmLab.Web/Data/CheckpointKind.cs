namespace PalmLab.Web.Data;

public enum CheckpointKind
{
    Last,
    Best,
}
