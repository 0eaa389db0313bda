using System.Runtime.InteropServices;

namespace PalmLab.Web.Health;

/// <summary>
/// Which file a path names: device and inode on Linux (from statx, whose layout is the same on every architecture),
/// so a file deleted and created again, or replaced by a rename, reads as another file even while an open handle to the
/// old one still answers queries. Elsewhere the creation time stands in for the inode.
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;

    /// <summary>The identity of the file at <paramref name="path"/>, or null when there is none (deleted, or not a file).</summary>
    public static FileIdentity? Of(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return Statx(path);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // A libc without statx (glibc before 2.28): fall through to the creation time.
            }
        }
        return new FileIdentity(0, (ulong)File.GetCreationTimeUtc(path).Ticks);
    }

    private static FileIdentity? Statx(string path)
    {
        var buffer = new byte[StatxSize];
        if (statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
        {
            return null;
        }
        // struct statx: stx_ino at byte 32, stx_dev_major and stx_dev_minor at 136 and 140.
        var inode = BitConverter.ToUInt64(buffer, 32);
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return new FileIdentity(device, inode);
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, byte[] statxbuf);
}
