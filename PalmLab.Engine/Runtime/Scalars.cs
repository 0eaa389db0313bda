using TorchSharp;

namespace PalmLab.Engine.Runtime;

/// <summary>
/// Scalars that live as long as the process, for tensor calls that would otherwise convert a number implicitly.
/// </summary>
/// <remarks>
/// TorchSharp passes a Scalar to libtorch as a bare handle and never keeps the managed object alive for the call
/// (no <see cref="GC.KeepAlive"/>). Once the JIT has optimised the calling method, a Scalar made implicitly from a
/// number (<c>t.add_(other)</c> uses an implicit 1, <c>t + 1</c>, <c>alpha: 0.9</c>) is unreachable while libtorch
/// still reads it, and a garbage collection on another thread lets its finalizer free it mid-call: libtorch then
/// reads a freed c10::Scalar ("Expected false to be true ... toFloat", "Unknown scalar type", or silently another
/// number). A Scalar held in a static field, or disposed by a <c>using</c> after the call, cannot be finalized early.
/// </remarks>
internal static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
}
