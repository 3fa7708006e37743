"""shrewd.evaluate: the figures of `shrewd eval --json` as a dict."""

import json

from shrewd import _core
from shrewd.semantics import as_class_list, as_hierarchy


def evaluate(query_codes, query_labels, db_codes=None, db_labels=None, *, similarity=None, hierarchy=None,
             classes=None, hierarchy_measure="lcs-height", query_features=None, db_features=None,
             queries_in_db=False, map_at=None, ahp_at=None, precision_at=None, radius=2, threads=0, plots=None):
    """Retrieval metrics of the query codes against the database codes (docs/evaluation.md).

    Returns the dict `shrewd eval --json` writes, same keys and figures ("files" names only the
    hierarchy and class files given as such; with `plots`, "plots" lists the SVG files written).

    query_labels, db_labels: int [N] class labels or multi-hot 0/1 [N, C].
    Without db_codes and db_labels the queries are the database (each left out of its own
    ranking), as are database arrays that are the query arrays themselves or queries_in_db=True.
    similarity: float [C, C] class similarities in [0, 1]; or hierarchy (a Hierarchy or its file)
    with classes (a ClassList, its file, or node names) and hierarchy_measure.
    query_features, db_features: float32 [N, K] continuous outputs (the binarisation gap).
    map_at, ahp_at, precision_at, radius, threads: as the options of `shrewd eval`.
    plots: a directory for pr_curve.svg, hp_curve.svg and per_class.svg.
    """
    if (db_codes is None) != (db_labels is None):
        raise ValueError("db_codes and db_labels: give both, or neither to search the queries among themselves")
    if db_codes is None or (db_codes is query_codes and db_labels is query_labels):
        db_codes, db_labels, queries_in_db = query_codes, query_labels, True
    if similarity is not None and hierarchy is not None:
        raise ValueError("similarity: give either similarity or hierarchy, not both")
    if hierarchy is not None and classes is None:
        raise ValueError("hierarchy: needs classes (the class list that maps label i to a hierarchy node)")
    if (query_features is None) != (db_features is None):
        raise ValueError(("db_features" if query_features is not None else "query_features") +
                         ": the binarisation gap needs both query_features and db_features")
    text = _core._evaluate(
        query_codes, query_labels, db_codes, db_labels, similarity,
        None if hierarchy is None else as_hierarchy(hierarchy), None if classes is None else as_class_list(classes),
        hierarchy_measure, query_features, db_features, bool(queries_in_db), map_at, ahp_at,
        None if precision_at is None else list(precision_at), radius, threads,
        None if plots is None else str(plots))
    return json.loads(text)
