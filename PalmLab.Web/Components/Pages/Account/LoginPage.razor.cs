using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using PalmLab.Web.Security;

namespace PalmLab.Web.Components.Pages.Account;

/// <summary>
/// /login: the admin account's user name and password; on success the sign-in cookie and a redirect to the page asked
/// for (<c>?ReturnUrl=</c>, local paths only), on failure the form again with a message and no cookie.
/// </summary>
public sealed partial class LoginPage
{
    private const string FormName = "login";
    private string? _error;

    // Given as UserAttributes so that they reach the inputs as plain HTML. Written as attributes they would bind to
    // MudBlazor's parameters of the same names: AutoFocus focuses through JS (this page has no circuit) and Required
    // adds an asterisk to a form where every field is needed anyway.
    private readonly Dictionary<string, object?> _userNameAttributes = new()
    {
        ["name"] = nameof(UserName),
        ["autocomplete"] = "username",
        ["autofocus"] = true,
        ["required"] = true,
    };

    private readonly Dictionary<string, object?> _passwordAttributes = new()
    {
        ["name"] = nameof(Password),
        ["autocomplete"] = "current-password",
        ["required"] = true,
    };

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [Inject]
    private SignInRequirement Requirement { get; set; } = default!;

    [Inject]
    private AdminCredentials Credentials { get; set; } = default!;

    [Inject]
    private LoginThrottle Throttle { get; set; } = default!;

    [Inject]
    private IOptions<AuthOptions> Auth { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<LoginPage> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "ReturnUrl")]
    private string? ReturnUrl { get; set; }

    [SupplyParameterFromForm(FormName = FormName)]
    private string? UserName { get; set; }

    [SupplyParameterFromForm(FormName = FormName)]
    private string? Password { get; set; }

    protected override void OnInitialized()
    {
        if (!Requirement.Required)
        {
            // On loopback everything is open: there is nothing to sign in to.
            Navigation.NavigateTo(SignInPaths.LocalOrHome(ReturnUrl));
        }
    }

    private async Task SignInAsync()
    {
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        // Counted before the password is checked, in the step that checks the limit, so parallel guesses cannot all pass it.
        var wait = Throttle.TryAttempt(client);
        if (wait > TimeSpan.Zero)
        {
            _error = $"Too many failed sign-ins from this address. Try again in {Math.Ceiling(wait.TotalMinutes):0} min.";
            return;
        }
        if (!Credentials.Match(UserName, Password))
        {
            // Not the user name: people type their password into it by mistake.
            Logger.LogWarning("Failed sign-in from {Client}", client);
            await Throttle.FailedAsync(HttpContext.RequestAborted);
            _error = "Wrong user name or password.";
            return;
        }

        Throttle.Succeeded(client);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, Auth.Value.AdminUser!)], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        Logger.LogInformation("{User} signed in from {Client}", Auth.Value.AdminUser, client);
        Navigation.NavigateTo(SignInPaths.LocalOrHome(ReturnUrl));
    }
}
