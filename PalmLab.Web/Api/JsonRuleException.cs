using System.Text.Json;

namespace PalmLab.Web.Api;

/// <summary>A JSON value of the right kind that breaks a rule of its field ("must be a whole number, not 2.5"): its message is the field's.</summary>
public sealed class JsonRuleException(string message) : JsonException(message);
