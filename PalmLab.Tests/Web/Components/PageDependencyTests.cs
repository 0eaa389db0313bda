using System.Reflection;
using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

/// <summary>
/// Pages read through services (RunQueries, DataSetQueries, SweepQueries, RunService...), never the database, and show
/// the services' read models, never the REST API's DTOs: no component type injects, holds or passes a DbContext or a
/// type of PalmLab.Web.Api.
/// </summary>
public sealed class PageDependencyTests
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    [Fact]
    public void Components_NeitherQueryTheDatabaseNorUseApiTypes()
    {
        var components = typeof(PalmLabDbContext).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("PalmLab.Web.Components", StringComparison.Ordinal) == true).ToList();

        var offending = components.SelectMany(type => Signatures(type).Where(Forbidden).Select(used => $"{type.FullName} uses {used.FullName}"))
            .Distinct().Order().ToList();

        Assert.NotEmpty(components);
        Assert.True(offending.Count == 0, "Components that reach past the services:\n" + string.Join("\n", offending));
    }

    private static IEnumerable<Type> Signatures(Type type) =>
        type.GetFields(Members).Select(f => f.FieldType)
            .Concat(type.GetProperties(Members).Select(p => p.PropertyType))
            .Concat(type.GetMethods(Members).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
            .Concat(type.GetConstructors(Members).SelectMany(c => c.GetParameters().Select(p => p.ParameterType)))
            .SelectMany(Unwrap);

    // A type with its generic arguments and element types: Task<List<FoldEpochsDto>> names FoldEpochsDto.
    private static IEnumerable<Type> Unwrap(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var inner in Unwrap(element)) yield return inner;
        }
        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Unwrap)) yield return inner;
        }
    }

    private static bool Forbidden(Type type) =>
        type.Namespace == "PalmLab.Web.Api"
        || typeof(DbContext).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDbContextFactory<>));
}
