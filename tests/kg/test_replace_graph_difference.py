"""Store.replace_graph writes only what differs, and the default graph stays the union."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg import iris
from kg.store import Store

P = ox.NamedNode("https://example.org/p")
DEC = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def _t(n: int, o: ox.NamedNode | ox.Literal | ox.BlankNode | None = None) -> ox.Triple:
    s = ox.NamedNode(f"https://example.org/s{n}")
    return ox.Triple(s, P, o if o is not None else ox.NamedNode(f"https://example.org/o{n}"))


def _in(graph: ox.NamedNode, triples: list[ox.Triple]) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def _default(store: Store) -> set[str]:
    return {
        f"{q.subject} {q.predicate} {q.object}"
        for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def _graph(store: Store, g: ox.NamedNode) -> set[str]:
    return {
        f"{q.subject} {q.predicate} {q.object}"
        for q in store.store.quads_for_pattern(None, None, None, g)
    }


def _s(triples: list[ox.Triple]) -> set[str]:
    return {f"{t.subject} {t.predicate} {t.object}" for t in triples}


def test_replacing_keeps_the_union_and_an_emptied_graph_goes(tmp_path: Path) -> None:
    a = ox.NamedNode(f"{iris.base()}graph/links/a")
    b = ox.NamedNode(f"{iris.base()}graph/links/b")
    # written "0.60", held as "0.6" (Oxigraph keeps the value): replaced by what differs,
    # the graph and the union still hold the value once
    conf = ox.Literal("0.60", datatype=DEC)
    held = ox.Literal("0.6", datatype=DEC)
    with Store(tmp_path / "data") as store:
        store.replace_graph(a, _in(a, [_t(1), _t(2), _t(4, conf)]))
        store.replace_graph(b, _in(b, [_t(2)]))
        assert _default(store) == _s([_t(1), _t(2), _t(4, held)])
        # t1 leaves (no other graph holds it), t2 leaves a but b holds it, t3 joins
        store.replace_graph(a, _in(a, [_t(3), _t(4, conf)]))
        assert _graph(store, a) == _s([_t(3), _t(4, held)])
        assert _default(store) == _s([_t(2), _t(3), _t(4, held)])
        # the same quads again: nothing changes
        store.replace_graph(a, _in(a, [_t(3), _t(4, held)]))
        assert _graph(store, a) == _s([_t(3), _t(4, held)])
        # emptied: the graph goes, what b holds stays in the union
        store.replace_graph(a, [])
        assert a not in set(store.store.named_graphs())
        assert _default(store) == _s([_t(2)])


def test_a_graph_with_blank_nodes_is_rewritten_whole(tmp_path: Path) -> None:
    a = ox.NamedNode(f"{iris.base()}graph/review")
    with Store(tmp_path / "data") as store:
        store.replace_graph(a, _in(a, [_t(1, ox.BlankNode()), _t(2)]))
        store.replace_graph(a, _in(a, [_t(3, ox.BlankNode()), _t(2)]))
        quads = list(store.store.quads_for_pattern(None, None, None, a))
        assert len(quads) == 2 and {q.subject.value for q in quads} == {
            "https://example.org/s2",
            "https://example.org/s3",
        }
        assert len(_default(store)) == 2
