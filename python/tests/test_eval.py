"""shrewd.evaluate against `shrewd eval --json` on the same arrays: every key and figure equal
(but the file names and the timings), for single labels, multi-labels, a similarity matrix, a
hierarchy, continuous features and queries inside the database; the same plots; the same errors."""

import json
import re

import numpy as np
import pytest

import shrewd


def without_files_and_timings(report):
    report = json.loads(json.dumps(report))
    report.pop("files")
    report["hamming"].pop("seconds")
    if "continuous" in report:
        report["continuous"].pop("seconds")
    return report


@pytest.fixture(scope="module")
def arrays():
    rng = np.random.default_rng(3)
    classes = 100
    centres = rng.random((classes, 32)) < 0.5

    def codes(labels, flip):
        z = np.where(centres[labels], 1.0, -1.0) + rng.normal(0, flip, (len(labels), 32))
        return z.astype(np.float32)

    query_labels = rng.integers(0, classes, 200)
    db_labels = rng.integers(0, classes, 1500)
    query_z, db_z = codes(query_labels, 1.2), codes(db_labels, 1.2)
    return dict(query_codes=np.packbits(query_z >= 0, axis=1), db_codes=np.packbits(db_z >= 0, axis=1),
                query_labels=query_labels, db_labels=db_labels, query_features=query_z, db_features=db_z,
                query_multi=(rng.random((200, 12)) < 0.2).astype(np.uint8),
                db_multi=(rng.random((1500, 12)) < 0.2).astype(np.uint8),
                similarity=np.clip(rng.random((classes, classes)), 0, 1).astype(np.float32))


@pytest.fixture(scope="module")
def files(arrays, tmp_path_factory):
    d = tmp_path_factory.mktemp("eval")
    for name, array in arrays.items():
        np.save(d / f"{name}.npy", array)
    return d


def cli_report(cli, files, tmp_path, *options):
    cli("eval", *options, "--json", tmp_path / "report.json")
    return json.loads((tmp_path / "report.json").read_text())


def test_single_labels_with_features(cli, arrays, files, tmp_path):
    expected = cli_report(cli, files, tmp_path, "--query-codes", files / "query_codes.npy", "--query-labels",
                          files / "query_labels.npy", "--db-codes", files / "db_codes.npy", "--db-labels",
                          files / "db_labels.npy", "--query-features", files / "query_features.npy",
                          "--db-features", files / "db_features.npy", "--map-at", 100, "--precision-at", "5,50",
                          "--ahp-at", 40, "--radius", 3)
    report = shrewd.evaluate(arrays["query_codes"], arrays["query_labels"], arrays["db_codes"], arrays["db_labels"],
                             query_features=arrays["query_features"], db_features=arrays["db_features"],
                             map_at=100, precision_at=[5, 50], ahp_at=40, radius=3)
    assert report["hamming"]["index_ties"]["map"] > 0.05  # far from chance: the comparison means something
    assert without_files_and_timings(report) == without_files_and_timings(expected)


def test_codes_in_any_form(arrays):
    packed = shrewd.evaluate(arrays["query_codes"], arrays["query_labels"], arrays["db_codes"], arrays["db_labels"])
    signs = shrewd.evaluate(arrays["query_features"], arrays["query_labels"],
                            shrewd.unpack(arrays["db_codes"]), arrays["db_labels"])
    assert without_files_and_timings(signs) == without_files_and_timings(packed)


def test_multi_labels(cli, arrays, files, tmp_path):
    expected = cli_report(cli, files, tmp_path, "--query-codes", files / "query_codes.npy", "--query-labels",
                          files / "query_multi.npy", "--db-codes", files / "db_codes.npy", "--db-labels",
                          files / "db_multi.npy")
    report = shrewd.evaluate(arrays["query_codes"], arrays["query_multi"], arrays["db_codes"], arrays["db_multi"])
    assert report["relevance"] == expected["relevance"]
    assert without_files_and_timings(report) == without_files_and_timings(expected)


def test_similarity_matrix(cli, arrays, files, tmp_path):
    expected = cli_report(cli, files, tmp_path, "--query-codes", files / "query_codes.npy", "--query-labels",
                          files / "query_labels.npy", "--db-codes", files / "db_codes.npy", "--db-labels",
                          files / "db_labels.npy", "--similarity", files / "similarity.npy")
    report = shrewd.evaluate(arrays["query_codes"], arrays["query_labels"], arrays["db_codes"], arrays["db_labels"],
                             similarity=arrays["similarity"])
    expected["relevance"] = expected["relevance"].replace(str(files / "similarity.npy"), "similarity")
    assert without_files_and_timings(report) == without_files_and_timings(expected)


@pytest.mark.parametrize("measure", ["lcs-height", "wu-palmer"])
def test_hierarchy_and_plots(cli, arrays, files, tmp_path, source_dir, measure):
    hierarchy = f"{source_dir}/data/hierarchies/cifar100/hierarchy.txt"
    classes = f"{source_dir}/data/hierarchies/cifar100/classes.txt"
    expected = cli_report(cli, files, tmp_path, "--query-codes", files / "query_codes.npy", "--query-labels",
                          files / "query_labels.npy", "--db-codes", files / "db_codes.npy", "--db-labels",
                          files / "db_labels.npy", "--hierarchy", hierarchy, "--classes", classes,
                          "--hierarchy-measure", measure, "--plots", tmp_path / "cli-plots")
    report = shrewd.evaluate(arrays["query_codes"], arrays["query_labels"], arrays["db_codes"], arrays["db_labels"],
                             hierarchy=shrewd.Hierarchy.load(hierarchy), classes=classes, hierarchy_measure=measure,
                             plots=tmp_path / "py-plots")
    assert report["files"] == {k: expected["files"][k] for k in ("hierarchy", "classes", "hierarchy_measure")}
    written = sorted(p.rsplit("/", 1)[1] for p in report.pop("plots"))
    assert written == sorted(p.name for p in (tmp_path / "cli-plots").iterdir())
    assert {"pr_curve.svg", "hp_curve.svg", "per_class.svg"} <= set(written)
    assert without_files_and_timings(report) == without_files_and_timings(expected)
    assert report["per_class"][0]["name"] == "apple"
    for name in written:
        assert (tmp_path / "py-plots" / name).read_text() == (tmp_path / "cli-plots" / name).read_text()


def test_queries_in_the_database(cli, arrays, files, tmp_path):
    expected = cli_report(cli, files, tmp_path, "--query-codes", files / "db_codes.npy", "--query-labels",
                          files / "db_labels.npy", "--db-codes", files / "db_codes.npy", "--db-labels",
                          files / "db_labels.npy")
    assert expected["queries_in_database"]
    for report in (shrewd.evaluate(arrays["db_codes"], arrays["db_labels"]),
                   shrewd.evaluate(arrays["db_codes"], arrays["db_labels"], arrays["db_codes"], arrays["db_labels"]),
                   shrewd.evaluate(arrays["db_codes"], arrays["db_labels"], arrays["db_codes"].copy(),
                                   arrays["db_labels"], queries_in_db=True)):
        assert without_files_and_timings(report) == without_files_and_timings(expected)


def raises(message):
    return pytest.raises(ValueError, match=re.escape(message))


def test_bad_inputs_raise(arrays):
    a = arrays
    with raises("query_labels: has 199 labels but query_codes holds 200 codes"):
        shrewd.evaluate(a["query_codes"], a["query_labels"][1:], a["db_codes"], a["db_labels"])
    with raises("db_codes: database codes have 40 bits but the query codes query_codes have 32"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], np.zeros((1500, 5), np.uint8), a["db_labels"])
    with raises("db_features: has 8 columns but the codes have 32 bits"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], a["db_codes"], a["db_labels"],
                        query_features=a["query_features"], db_features=a["db_features"][:, :8].copy())
    with raises("db_features: the binarisation gap needs both query_features and db_features"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], a["db_codes"], a["db_labels"],
                        query_features=a["query_features"])
    with raises("hierarchy: needs classes"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], a["db_codes"], a["db_labels"], hierarchy="h.txt")
    with raises("similarity: is 100 x 100 but the class list classes has 3 classes"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], a["db_codes"], a["db_labels"],
                        similarity=a["similarity"], classes=["a", "b", "c"])
    with raises("--ahp-at: must be at least 2"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], a["db_codes"], a["db_labels"], ahp_at=1)
    with raises("similarity: similarity at row 0, column 0 is"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], a["db_codes"], a["db_labels"],
                        similarity=a["similarity"] + 2)
    with raises("query_codes: query 0 is meant to be database item 0 of db_codes but their codes differ"):
        shrewd.evaluate(a["query_codes"], a["query_labels"], a["db_codes"], a["db_labels"], queries_in_db=True)
    with pytest.raises(TypeError, match="query_labels: unsupported dtype float16"):
        shrewd.evaluate(a["query_codes"], a["query_labels"].astype(np.float16), a["db_codes"], a["db_labels"])
