using Microsoft.AspNetCore.Components;
using PalmLab.Web.Components.Layout;

namespace PalmLab.Tests.Web.Components;

/// <summary>A page stand-in that receives the layout's dark mode as pages do.</summary>
public sealed class DarkModeProbe : ComponentBase
{
    [CascadingParameter(Name = ThemePreference.DarkModeCascade)]
    public bool Dark { get; set; }
}
