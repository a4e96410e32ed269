"""Minutes records to RDF, the embedded store, named queries and the `govkg` CLI.

from kg import Store, ingest_paths
with Store("govkg-data") as store:
    print(ingest_paths(["samples/"], store).summary())
    names, rows = store.select(actions_query(owner="Roe"))
"""

from kg.build import record_to_quads
from kg.pipeline import IngestReport, ingest_paths
from kg.queries import actions_query
from kg.store import QueryError, Store, StoreError

__all__ = [
    "IngestReport",
    "QueryError",
    "Store",
    "StoreError",
    "actions_query",
    "ingest_paths",
    "record_to_quads",
]
