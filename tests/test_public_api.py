import inspect

import claimledger


def test_all_is_what_is_public():
    assert sorted(claimledger.__all__) == sorted(["Ledger", "Options", "ingest", "extract", "reconcile", "export",
                                                  "build_nlp", "ClaimledgerError"])
    for name in claimledger.__all__:
        obj = getattr(claimledger, name)
        assert inspect.isclass(obj) or inspect.isfunction(obj), name
        assert obj.__doc__, f"{name} needs a docstring"
