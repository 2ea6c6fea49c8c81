using System.Collections;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// An immutable array of references kept in fixed pages of 4,096 slots, so the next version shares every page a
/// change does not touch: a write copies the page directory and the pages it sets, never the whole array. One page is
/// 32 KB, under the large-object threshold, so a snapshot per commit makes short-lived garbage rather than large-heap
/// copies of millions of slots.
/// </summary>
internal sealed class PagedArray<T> : IEnumerable<T?>
    where T : class
{
    private const int PageBits = 12;
    private const int PageSize = 1 << PageBits;
    private const int PageMask = PageSize - 1;

    private readonly T?[][] _pages;

    private PagedArray(T?[][] pages, int length)
    {
        _pages = pages;
        Length = length;
    }

    public static PagedArray<T> Empty { get; } = new([], 0);

    /// <summary>Slots, live or not.</summary>
    public int Length { get; }

    public T? this[int index] => (uint)index < (uint)Length ? _pages[index >> PageBits][index & PageMask] : throw new IndexOutOfRangeException();

    /// <summary>Starts the next version of this array.</summary>
    public Builder ToBuilder() => new(this);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T?> IEnumerable<T?>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The next version: reads see what was set so far; pages are copied on their first write.</summary>
    internal sealed class Builder
    {
        private T?[][] _pages;
        private bool[] _owned;
        private int _length;

        internal Builder(PagedArray<T> source)
        {
            _pages = (T?[][])source._pages.Clone();
            _owned = new bool[_pages.Length];
            _length = source.Length;
        }

        public int Length => _length;

        public T? this[int index]
        {
            get => (uint)index < (uint)_length ? _pages[index >> PageBits][index & PageMask] : throw new IndexOutOfRangeException();
            set
            {
                if ((uint)index >= (uint)_length)
                {
                    throw new IndexOutOfRangeException();
                }

                var page = index >> PageBits;
                if (!_owned[page])
                {
                    _pages[page] = (T?[])_pages[page].Clone();
                    _owned[page] = true;
                }

                _pages[page][index & PageMask] = value;
            }
        }

        /// <summary>Makes room for at least <paramref name="length"/> slots (new ones are null).</summary>
        public void Grow(int length)
        {
            if (length <= _length)
            {
                return;
            }

            var pages = (length + PageMask) >> PageBits;
            if (pages > _pages.Length)
            {
                var first = _pages.Length;
                Array.Resize(ref _pages, pages);
                Array.Resize(ref _owned, pages);
                for (var p = first; p < pages; p++)
                {
                    _pages[p] = new T?[PageSize];
                    _owned[p] = true;
                }
            }

            _length = length;
        }

        /// <summary>The new version; the builder must not be used after.</summary>
        public PagedArray<T> Build() => new(_pages, _length);
    }

    public struct Enumerator(PagedArray<T> array) : IEnumerator<T?>
    {
        private int _index = -1;

        public readonly T? Current => array[_index];

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < array.Length;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
