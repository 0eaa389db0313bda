namespace PalmLab.Web.Data;

public enum SweepStatus
{
    Running,
    Completed,
    Cancelled,
}
