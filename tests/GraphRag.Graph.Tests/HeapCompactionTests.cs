using FluentAssertions;
using GraphRag.Graph.Rows;
using Microsoft.Extensions.Time.Testing;

namespace GraphRag.Graph.Tests;

/// <summary>The indexes compact the heap only when enough of it is free, and not more often than the interval allows.</summary>
public sealed class HeapCompactionTests
{
    private const long Mb = 1L << 20;

    [Theory]
    [InlineData(127, 200, false)] // too little free to be worth a pause
    [InlineData(128, 512, true)] // a quarter of the heap, at the floor
    [InlineData(200, 801, false)] // under a quarter
    [InlineData(300, 900, true)]
    public void ShouldCompact_NeedsEnoughFreeSpaceAndAQuarterOfTheHeap(long fragmentedMb, long heapMb, bool expected) =>
        HeapCompaction.ShouldCompact(fragmentedMb * Mb, heapMb * Mb).Should().Be(expected);

    [Fact]
    public void AfterChange_CompactsAtMostOncePerInterval()
    {
        var clock = new FakeTimeProvider();
        var compaction = new HeapCompaction(clock);

        compaction.AfterChange(300 * Mb, 900 * Mb).Should().BeTrue();
        clock.Advance(HeapCompaction.Interval - TimeSpan.FromSeconds(1));
        compaction.AfterChange(300 * Mb, 900 * Mb).Should().BeFalse("the last compaction was too recent");
        compaction.AfterChange(10 * Mb, 900 * Mb).Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(2));
        compaction.AfterChange(300 * Mb, 900 * Mb).Should().BeTrue();
        compaction.Compactions.Should().Be(2);
    }
}
