using System.Runtime;

namespace GraphRag.Graph.Rows;

/// <summary>
/// Gives back the memory that keeping the indexes current leaves behind. Each applied change replaces the states and
/// pages it touches, and the replaced ones die old: a hub entity's arrays (tens of kilobytes, many on the large object
/// heap) are copied by every batch that mentions it. The collector's background passes free that space but do not
/// compact it, and it does not compact the large object heap at all, so during a long ingestion the free space grows
/// with the store (at 100k chunks: gen2 a third free and the large object heap 30% free, about 300 MB of the peak).
/// After a change, when the last collection found at least <see cref="MinimumFragmentedBytes"/> free and that is at
/// least a quarter of the heap, one blocking compacting collection (large object heap included) returns it, at most
/// once per <see cref="Interval"/>, so a steady writer pays a pause of a few hundred milliseconds now and then rather
/// than the memory.
/// </summary>
internal sealed class HeapCompaction(TimeProvider clock)
{
    /// <summary>Less free space than this is not worth a pause.</summary>
    public const long MinimumFragmentedBytes = 128L << 20;

    /// <summary>The shortest time between two compactions.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private long _last = long.MinValue;

    /// <summary>How many compactions this instance asked for.</summary>
    public int Compactions { get; private set; }

    /// <summary>The time the compactions took, all threads stopped.</summary>
    public TimeSpan TotalPause { get; private set; }

    /// <summary>
    /// Compacts when the heap is fragmented enough and the last compaction was long enough ago; returns what it did, or
    /// null when it did nothing.
    /// </summary>
    public CompactionReport? AfterChange()
    {
        var before = GC.GetGCMemoryInfo();
        var started = clock.GetTimestamp();
        if (!AfterChange(before.FragmentedBytes, before.HeapSizeBytes))
        {
            return null;
        }

        var after = GC.GetGCMemoryInfo();
        var pause = clock.GetElapsedTime(started);
        lock (_gate)
        {
            TotalPause += pause;
        }

        return new CompactionReport(before.HeapSizeBytes >> 20, after.HeapSizeBytes >> 20, pause);
    }

    /// <summary>As <see cref="AfterChange()"/>, with the last collection's figures given.</summary>
    internal bool AfterChange(long fragmentedBytes, long heapSizeBytes)
    {
        if (!ShouldCompact(fragmentedBytes, heapSizeBytes))
        {
            return false;
        }

        lock (_gate)
        {
            var now = clock.GetTimestamp();
            if (_last != long.MinValue && clock.GetElapsedTime(_last, now) < Interval)
            {
                return false;
            }

            _last = now;
            Compactions++;
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return true;
    }

    /// <summary>One compaction: the heap before and after, and the pause.</summary>
    internal sealed record CompactionReport(long HeapBeforeMb, long HeapAfterMb, TimeSpan Pause);

    /// <summary>The rule: enough free space, and a large enough share of the heap.</summary>
    public static bool ShouldCompact(long fragmentedBytes, long heapSizeBytes) =>
        fragmentedBytes >= MinimumFragmentedBytes && fragmentedBytes * 4 >= heapSizeBytes;
}
