using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Tests;

/// <summary>Ids kept as compact keys read back, look up and order exactly as the strings do.</summary>
public sealed class IdMapTests
{
    private static readonly string[] Ids =
    [
        "rel_00002258e152b8c432b5d594", "rel_ffff2258e152b8c432b5d594", "rel_00002258e152b8c432b5d593",
        "ent_152e69cf3c8e76c8d8b0aed9", "chk_0003951ec93f032a089c4d09", "zzz_0000000000000000ffffffff",
        "aaa_ffffffffffffffff00000000", StableId.Create("rel", "a", "b"),
        // Any other shape is kept as it is.
        "r1", "rel_00002258E152B8C432B5D594", "rel-00002258e152b8c432b5d594", "rel_00002258e152b8c432b5d59",
        "rel_00002258e152b8c432b5d5944", "ab_100002258e152b8c432b5d594", "Rel_00002258e152b8c432b5d594", "", "é",
    ];

    [Fact]
    public void GetOrAdd_ThenLookUpAndReadBack_GivesEverySlotItsOwnId()
    {
        var map = new IdMap();
        var slots = Ids.Select(map.GetOrAdd).ToList();

        slots.Should().Equal(Enumerable.Range(0, Ids.Length));
        Ids.Select(map.GetOrAdd).Should().Equal(slots);
        Ids.Select((id, i) => map.IdOf(i)).Should().Equal(Ids);
        Ids.Should().AllSatisfy(id => map.TryGet(id, out var slot).Should().BeTrue());
        map.TryGet("rel_00002258e152b8c432b5d595", out _).Should().BeFalse();
        new IdMap(Ids).IdOf(9).Should().Be(Ids[9]);
    }

    [Fact]
    public void Compare_OrdersSlotsAsTheirIdsOrderOrdinally()
    {
        var map = new IdMap(Ids);
        for (var a = 0; a < Ids.Length; a++)
        {
            for (var b = 0; b < Ids.Length; b++)
            {
                Math.Sign(map.Compare(a, b)).Should().Be(Math.Sign(string.CompareOrdinal(Ids[a], Ids[b])), $"{Ids[a]} vs {Ids[b]}");
            }
        }
    }

    [Fact]
    public async Task ManyIds_AddedWhileReadersLookUp_AreAllFoundAtTheirSlots_AndAbsentOnesAreNot()
    {
        // Enough ids to grow the table and the key pages several times, some sharing a table position.
        var ids = Enumerable.Range(0, 200_000).Select(i => StableId.Create("rel", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var map = new IdMap(ids.Take(1_000).ToList());
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var misses = 0;
            while (!done.IsCancellationRequested)
            {
                var count = map.Count;
                for (var i = 0; i < count; i += 997)
                {
                    if (!map.TryGet(ids[i], out var slot) || slot != i)
                    {
                        misses++;
                    }
                }
            }

            return misses;
        });

        for (var i = 1_000; i < ids.Length; i++)
        {
            map.GetOrAdd(ids[i]).Should().Be(i);
        }

        await done.CancelAsync();
        (await reader).Should().Be(0);
        ids.Select((id, i) => map.TryGet(id, out var slot) && slot == i).Should().AllSatisfy(found => found.Should().BeTrue());
        map.TryGet(StableId.Create("rel", "absent"), out _).Should().BeFalse();
        map.IdOf(123_456).Should().Be(ids[123_456]);
    }
}
