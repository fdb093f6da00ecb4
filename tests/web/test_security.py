"""Article text is untrusted: it is escaped everywhere, and no parameter reaches SQL as text."""
from __future__ import annotations

import pytest

INJECTIONS = ["' OR '1'='1", "1; DROP TABLE claims; --", "\" OR 1=1 --", "%' UNION SELECT sql FROM sqlite_master --",
              "Izyum') OR 1=1 --", "NEAR(\"a\" \"b\")*", "*"]


def test_hostile_document_is_escaped(client):
    for path in ("/documents/hostile", "/search?q=Kharkiv+shelled", "/events"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<a href=\"javascript:" not in html
    doc = client.get("/documents/hostile").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in doc
    assert 'href="javascript:' not in doc and 'href="#"' in doc  # the javascript: url is not linked


def test_hostile_claim_page_and_json_block(client):
    claims = client.get("/documents/hostile.json").json()["claims"]
    assert claims
    for c in claims:
        html = client.get(f"/claims/{c['claim_id']}").text
        assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("param", ["place", "q", "id"])
def test_injection_in_every_parameter(client, param, value):
    if param == "place":
        r = client.get("/events.json", params={"place": value})
        assert r.status_code == 200 and r.json()["events"] == []
    elif param == "q":
        r = client.get("/search.json", params={"q": value})
        assert r.status_code == 200
    else:
        for route in ("/events/", "/claims/", "/documents/"):
            assert client.get(route + value).status_code in (404, 405)
    for name in ("type", "status", "side", "sort", "since", "until"):
        assert client.get("/events.json", params={name: value}).status_code == 400
    assert client.get("/index.json").json()["totals"]["claims"] > 0  # nothing was dropped


def test_serve_binds_to_localhost_by_default():
    from typer.testing import CliRunner

    from claimledger.cli import app
    r = CliRunner().invoke(app, ["serve", "--help"])
    assert "127.0.0.1" in r.output
