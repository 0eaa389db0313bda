namespace PalmLab.Web.Api;

/// <summary>
/// The 400 for a request's bad fields or parameters: a validation problem with one message per field in
/// <c>errors</c>, and the same said whole in <c>detail</c> ("epochs must be from 1 to 1,000, not 5000."), so a client
/// that shows only the detail still names the field and its rule.
/// </summary>
public static class FieldProblems
{
    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Of(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key} {m}."))));

    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Of(string field, string message) =>
        Of(new Dictionary<string, string[]> { [field] = [message] });
}
