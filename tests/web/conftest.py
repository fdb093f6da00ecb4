from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from claimledger import Ledger, Options, ingest
from claimledger.web.app import create_app
from tests.conftest import SEEDS

HOSTILE = {
    "id": "hostile",
    "title": "<script>alert('title')</script> Shelling in Kharkiv",
    "outlet": "<img src=x onerror=alert(1)>",
    "url": "javascript:alert(document.cookie)",
    "published": "2022-09-11",
    "text": ("Russian forces shelled Kharkiv overnight, killing two civilians, the governor said. "
             "<script>alert('xss')</script> The mayor said <img src=x onerror=alert(2)> three buildings were "
             "destroyed. <a href=\"javascript:alert(3)\">Click here</a> for more, officials reported."),
}

# our own Ukrainian report (written for the tests), to show a claim as written, in its language
UKRAINIAN = {
    "id": "uk-report", "outlet": "RBC-Ukraine", "published": "2024-05-15", "language": "uk",
    "text": ("З Вовчанська за добу евакуювали понад 500 жителів, повідомив голова Харківської ОВА Олег Синєгубов. "
             "За його словами, окупанти обстрілюють місто з артилерії."),
}


@pytest.fixture(scope="session")
def web_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n" + json.dumps(UKRAINIAN, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    path = folder / "web.db"
    ledger = Ledger(path)
    ingest([str(SEEDS), str(folder / "hostile.jsonl")], ledger, Options(quiet=True))
    ledger.close()
    return str(path)


@pytest.fixture(scope="session")
def client(web_db):
    return TestClient(create_app(web_db))
