using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Api;

/// <summary>The REST API for sweeps under /api/sweeps: queue one, read them, cancel one, save its best trial as a preset.</summary>
public static class SweepsApi
{
    // A sweep request is a few options and a space of a few lists or ranges.
    private const long MaxSweepRequestBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sweeps").WithTags("Sweeps");
        api.MapGet("", ListSweeps).WithName("ListSweeps").WithSummary("Sweeps, newest first, with their trials and best trial");
        api.MapGet("/{id:int}", GetSweep).WithName("GetSweep").WithSummary("One sweep: its trials with their options, status and metric");
        api.MapPost("", CreateSweep)
            .WithName("CreateSweep")
            .WithSummary("Queue a sweep: a data set, a preset or base run, overrides, a search space and a strategy; every trial is queued as a run")
            .Accepts<SweepRequest>("application/json")
            .Produces<SweepView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/{id:int}/cancel", CancelSweep)
            .WithName("CancelSweep").WithSummary("Cancel the sweep's queued and running trials; finished trials are kept");
        api.MapPost("/{id:int}/preset", SavePreset)
            .WithName("SaveSweepPreset").WithSummary("Save the best completed trial's options as a preset, usable wherever a preset is")
            .Accepts<SavePresetRequest>("application/json")
            .Produces<SavedPresetDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<List<SweepView>> ListSweeps(IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SweepReader.ListAsync(db, ct);
    }

    private static async Task<Results<Ok<SweepView>, ProblemHttpResult>> GetSweep(int id, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SweepReader.ReadAsync(db, id, ct) is { } sweep ? TypedResults.Ok(sweep) : SweepNotFound(id);
    }

    private static async Task<IResult> CreateSweep(HttpRequest http, SweepService sweeps, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<SweepRequest>(http, MaxSweepRequestBytes, ct);
        if (problem is not null)
        {
            return problem;
        }
        var (sweep, errors) = await sweeps.CreateAsync(request!, ct);
        if (sweep is null)
        {
            return FieldProblems.Of(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return TypedResults.Created($"/api/sweeps/{sweep.Id}", await SweepReader.ReadAsync(db, sweep.Id, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CancelSweep(int id, SweepService sweeps, CancellationToken ct)
    {
        var result = await sweeps.CancelAsync(id, ct);
        return !result.Found ? SweepNotFound(id)
            : result.Refusal is { } why ? TypedResults.Problem(why, statusCode: StatusCodes.Status409Conflict)
            : TypedResults.NoContent();
    }

    private static async Task<IResult> SavePreset(int id, HttpRequest http, SweepService sweeps, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<SavePresetRequest>(http, MaxSweepRequestBytes, ct);
        if (problem is not null)
        {
            return problem;
        }
        var (preset, result, errors) = await sweeps.SavePresetAsync(id, request!.Name, ct);
        return !result.Found ? SweepNotFound(id)
            : result.Refusal is { } why ? TypedResults.Problem(why, statusCode: StatusCodes.Status409Conflict)
            : preset is null ? FieldProblems.Of(errors)
            : TypedResults.Created($"/api/sweeps/{id}", SavedPresetDto.From(preset));
    }

    private static ProblemHttpResult SweepNotFound(int id) => TypedResults.Problem($"Sweep {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
}
