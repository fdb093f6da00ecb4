"""claimledger: a source-attributed ledger of claims from conflict news.

    >>> from claimledger import Ledger, ingest, export
    >>> ledger = Ledger("ledger.db")
    >>> report = ingest(["examples/seeds"], ledger)
    >>> export(ledger, "export/")
"""
from claimledger.errors import ClaimledgerError
from claimledger.extract.pipeline import build_nlp
from claimledger.extract.run import extract_batch as extract
from claimledger.ingest.pipeline import ingest
from claimledger.options import Options
from claimledger.reconcile import reconcile
from claimledger.report.export import export
from claimledger.store.ledger import Ledger

__version__ = "0.1.0"
__all__ = ["Ledger", "Options", "ingest", "extract", "reconcile", "export", "build_nlp", "ClaimledgerError"]
