"""shrewd.Index against the command line on the same files: the same index files (byte for
byte) after build, add, delete and compact, the same k-NN and radius results; the GIL released
during searches; bad inputs raise the command line's messages."""

import re
import sys
import threading

import numpy as np
import pytest

import shrewd


def clustered_codes(rng, n, centres):
    """Codes near a few centres, so that distances tie and radius searches find something."""
    flips = rng.random((n, centres.shape[1])) < 0.08
    return np.packbits(centres[rng.integers(0, len(centres), n)] ^ flips, axis=1)


@pytest.fixture(scope="module", params=[64, 40, 128])
def data(request, tmp_path_factory):
    bits = request.param
    rng = np.random.default_rng(bits)
    d = tmp_path_factory.mktemp(f"index{bits}")
    centres = rng.random((20, bits)) < 0.5
    db = clustered_codes(rng, 3000, centres)
    more = clustered_codes(rng, 500, centres)
    queries = clustered_codes(rng, 40, centres)
    ids = rng.permutation(10 * len(db))[:len(db)].astype(np.int64)
    for name, array in [("db", db), ("more", more), ("queries", queries), ("ids", ids)]:
        np.save(d / f"{name}.npy", array)
    return dict(dir=d, bits=bits, db=db, more=more, queries=queries, ids=ids)


def read(path):
    return path.read_bytes()


@pytest.mark.parametrize("mih", [False, True])
def test_files_equal_the_command_lines(cli, data, mih):
    d, tag = data["dir"], "mih" if mih else "flat"
    cli("index", "build", "--codes", d / "db.npy", "--ids", d / "ids.npy", "--out", d / f"cli-{tag}.shx",
        *(["--mih", "--substrings", "4"] if mih else []))
    index = shrewd.IndexMultiIndexHashing(data["bits"], substrings=4) if mih else shrewd.IndexFlat(data["bits"])
    np.testing.assert_array_equal(index.add(data["db"], data["ids"]), data["ids"])
    shrewd.write_index(index, d / f"py-{tag}.shx")
    assert read(d / f"py-{tag}.shx") == read(d / f"cli-{tag}.shx")

    cli("index", "add", "--index", d / f"cli-{tag}.shx", "--codes", d / "more.npy")
    given = index.add(data["more"])
    np.testing.assert_array_equal(given, data["ids"].max() + 1 + np.arange(len(data["more"])))
    deleted = [int(data["ids"][5]), int(given[7]), int(data["ids"][100])]
    cli("index", "delete", "--index", d / f"cli-{tag}.shx", "--id", ",".join(map(str, deleted)))
    assert index.remove_ids(np.array(deleted)) == 3
    assert (index.ntotal, index.stored, index.deleted) == (3497, 3500, 3)
    index.write(d / f"py-{tag}.shx")
    assert read(d / f"py-{tag}.shx") == read(d / f"cli-{tag}.shx")

    # searches of the file the command line wrote, from Python and from the command line
    cli("search", "--index", d / f"cli-{tag}.shx", "--queries", d / "queries.npy", "-k", "25", "--out", d / f"knn-{tag}")
    for searched in (shrewd.read_index(d / f"cli-{tag}.shx"), index):
        distances, ids = searched.search(data["queries"], 25)
        np.testing.assert_array_equal(ids, np.load(d / f"knn-{tag}.ids.npy"))
        np.testing.assert_array_equal(distances, np.load(d / f"knn-{tag}.dist.npy"))
    radius = data["bits"] // 6
    cli("search", "--index", d / f"cli-{tag}.shx", "--queries", d / "queries.npy", "--radius", radius,
        "--out", d / f"range-{tag}")
    lims, distances, ids = index.range_search(data["queries"], radius)
    assert len(ids) > len(data["queries"])  # the test means something: most queries find codes
    np.testing.assert_array_equal(lims, np.load(d / f"range-{tag}.offsets.npy"))
    np.testing.assert_array_equal(ids, np.load(d / f"range-{tag}.ids.npy"))
    np.testing.assert_array_equal(distances, np.load(d / f"range-{tag}.dist.npy"))

    cli("index", "compact", "--index", d / f"cli-{tag}.shx")
    assert index.compact() == 3
    index.write(d / f"py-{tag}.shx")
    assert read(d / f"py-{tag}.shx") == read(d / f"cli-{tag}.shx")
    assert not np.isin(deleted, index.ids()).any()


def test_search_is_the_flat_scan_in_every_form(data):
    bits = data["bits"]
    flat = shrewd.IndexFlat(bits)
    flat.add(data["db"], data["ids"])
    mih = shrewd.IndexMultiIndexHashing(bits)
    mih.add(data["db"], data["ids"])
    expected = flat.search(data["queries"], 10)
    # brute force in numpy: distances agree, ids ordered by distance then id
    unpacked_db = np.unpackbits(data["db"], axis=1).astype(bool)
    unpacked_q = np.unpackbits(data["queries"], axis=1).astype(bool)
    all_distances = (unpacked_q[:, None, :] != unpacked_db[None, :, :]).sum(axis=2)
    order = np.lexsort((np.broadcast_to(data["ids"], all_distances.shape), all_distances), axis=1)[:, :10]
    np.testing.assert_array_equal(expected[1], data["ids"][order])
    np.testing.assert_array_equal(expected[0], np.take_along_axis(all_distances, order, axis=1))

    for result in (mih.search(data["queries"], 10), flat.search(data["queries"], 10, threads=3),
                   flat.search(shrewd.unpack(data["queries"]), 10),
                   flat.search(shrewd.unpack(data["queries"], dtype="float32") * 0.5, 10)):
        np.testing.assert_array_equal(result[0], expected[0])
        np.testing.assert_array_equal(result[1], expected[1])
    # rows that do not start on a word boundary (copied) and read-only arrays (searched in place)
    shifted = np.zeros(data["queries"].size + 1, np.uint8)[1:].reshape(data["queries"].shape)
    shifted[:] = data["queries"]
    read_only = data["queries"].copy()
    read_only.flags.writeable = False
    for queries in (shifted, read_only):
        np.testing.assert_array_equal(flat.search(queries, 10)[1], expected[1])


def test_k_beyond_the_codes_pads_with_minus_one():
    index = shrewd.IndexFlat(16)
    index.add(np.array([[1, 2], [3, 4]], np.uint8))
    distances, ids = index.search(np.array([[1, 2]], np.uint8), 4)
    np.testing.assert_array_equal(ids, [[0, 1, -1, -1]])
    np.testing.assert_array_equal(distances, [[0, 3, -1, -1]])
    assert distances.dtype == np.int32 and ids.dtype == np.int64
    empty = shrewd.IndexMultiIndexHashing(16)
    np.testing.assert_array_equal(empty.search(np.zeros((2, 2), np.uint8), 1)[1], [[-1], [-1]])
    lims, _, _ = empty.range_search(np.zeros((2, 2), np.uint8), 3)
    np.testing.assert_array_equal(lims, [0, 0, 0])


def test_the_gil_is_released_during_a_search(data):
    index = shrewd.IndexFlat(data["bits"])
    index.add(np.repeat(data["db"], 100, axis=0), np.arange(100 * len(data["db"])))
    queries = np.repeat(data["queries"], 5, axis=0)
    counter, stop = [0], threading.Event()

    def count():
        while not stop.is_set():
            counter[0] += 1

    # Python threads then switch only when the GIL is given up, never on a timer; a search that
    # holds the GIL lets the counter move by nothing, however often it is tried
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.5)
    worker = threading.Thread(target=count)
    moved = []
    try:
        worker.start()
        for _ in range(5):  # the counter thread needs a core while the search runs; a loaded machine may delay it
            before = counter[0]
            index.search(queries, 10)
            moved.append(counter[0] - before)
            if moved[-1] > 0:
                break
    finally:
        stop.set()
        worker.join()
        sys.setswitchinterval(interval)
    assert moved[-1] > 0, moved


def test_searches_from_many_threads_agree(data):
    index = shrewd.IndexMultiIndexHashing(data["bits"])
    index.add(data["db"])
    expected = index.search(data["queries"], 7)[1]
    results = [None] * 8

    def run(i):
        results[i] = index.search(data["queries"], 7)[1]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for result in results:
        np.testing.assert_array_equal(result, expected)


def raises(error, message):
    return pytest.raises(error, match=re.escape(message))


def test_bad_inputs_raise_and_change_nothing(data, tmp_path):
    bits = data["bits"]
    index = shrewd.IndexFlat(bits)
    index.add(data["db"][:10], np.arange(10))
    wrong = np.zeros((2, bits // 8 + 1), np.uint8)
    with raises(ValueError, f"queries: queries have {bits + 8} bits but the index holds {bits}-bit codes"):
        index.search(wrong, 3)
    with raises(ValueError, f"codes: cannot append {bits + 8}-bit codes to an index of {bits}-bit codes"):
        index.add(wrong)
    with raises(ValueError, "k: must be at least 1, found 0"):
        index.search(data["queries"], 0)
    with raises(ValueError, "radius: must be at least 0, found -1"):
        index.range_search(data["queries"], -1)
    with raises(ValueError, "ids: cannot delete id 99: no such code in the index"):
        index.remove_ids([3, 99])
    with raises(ValueError, "ids: id -4 is negative: ids must be 0 .. 2^63-1"):
        index.add(data["db"][:2], np.array([5000, -4]))
    with raises(ValueError, "codes: id 3 appears more than once (it is in the index already)"):
        index.add(data["db"][:2], [3, 5000])
    with raises(ValueError, "codes: id 5000 appears more than once"):
        index.add(data["db"][:2], [5000, 5000])
    with raises(ValueError, "ids: has 1 ids but codes has 2 codes"):
        index.add(data["db"][:2], [5000])
    with raises(ValueError, "queries: the array is not C-contiguous"):
        index.search(np.asfortranarray(data["queries"]), 3)
    with raises(TypeError, "queries: unsupported dtype complex64"):
        index.search(np.zeros((2, bits), np.complex64), 3)
    with raises(ValueError, "queries: codes must be a 2-D array"):
        index.search(data["queries"][0], 3)
    with raises(ValueError, "bits: code length K = 12 bits is not supported"):
        shrewd.IndexFlat(12)
    with raises(ValueError, "substrings: 200 substrings do not fit"):
        shrewd.IndexMultiIndexHashing(bits, substrings=200)
    assert (index.ntotal, index.deleted) == (10, 0)
    np.testing.assert_array_equal(index.ids(), np.arange(10))

    (tmp_path / "bad.shx").write_bytes(b"not an index file at all" * 10)
    with pytest.raises(ValueError, match=re.escape(str(tmp_path / "bad.shx")) + ": "):
        shrewd.read_index(tmp_path / "bad.shx")
    with pytest.raises(ValueError, match="cannot open"):
        shrewd.read_index(tmp_path / "missing.shx")
