using Microsoft.AspNetCore.Components.Forms;

namespace PalmLab.Tests.Support;

/// <summary>
/// A browser file as Blazor's InputFile hands it over, read from bytes: it refuses a read past maxAllowedSize as Blazor's
/// does, and may declare a size other than its length or break off after some bytes, as a lying client or a lost circuit would.
/// </summary>
public sealed class FileBrowserFile(string name, byte[] bytes, long? declaredSize = null, int? failAfter = null, Action? onFirstRead = null) : IBrowserFile
{
    public string Name { get; } = name;

    public DateTimeOffset LastModified { get; } = DateTimeOffset.UnixEpoch;

    public long Size { get; } = declaredSize ?? bytes.Length;

    public string ContentType => "application/zip";

    public static FileBrowserFile FromPath(string path, string? name = null) => new(name ?? Path.GetFileName(path), File.ReadAllBytes(path));

    public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default)
    {
        if (Size > maxAllowedSize)
        {
            throw new IOException($"Supplied file with size {Size} bytes exceeds the maximum of {maxAllowedSize} bytes.");
        }
        return new Reader(new MemoryStream(bytes), failAfter, onFirstRead);
    }

    // Small reads, so that a copy takes several steps (as over a circuit) and can be broken off part-way.
    private sealed class Reader(MemoryStream inner, int? failAfter, Action? onFirstRead) : Stream
    {
        private bool _started;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_started)
            {
                _started = true;
                onFirstRead?.Invoke();
            }
            if (failAfter is { } limit && inner.Position >= limit)
            {
                throw new IOException("The circuit went away.");
            }
            return inner.Read(buffer, offset, Math.Min(count, 1024));
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
