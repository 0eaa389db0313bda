using Microsoft.Extensions.Options;
using PalmLab.Engine.Inference;
using PalmLab.Web.Options;
using PalmLab.Web.Predictions;

namespace PalmLab.Web.Extensions;

public static class PredictionExtensions
{
    /// <summary>The prediction service and its cache of loaded models (PalmLab:PredictionModels of them, on PalmLab:Device).</summary>
    public static IServiceCollection AddPalmLabPredictions(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PalmLabOptions>>().Value;
            return new ModelCache<Predictor>(options.PredictionModels, path => Predictor.Load(path, options.Device, options.Threads));
        });
        services.AddSingleton<PredictionService>();
        return services;
    }
}
