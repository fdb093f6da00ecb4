"""Every route, as a page and as JSON, with its filters; errors are coded; nothing is writable."""
from __future__ import annotations


import pytest

from claimledger.web.app import CSP


def first(client, path):
    return client.get(path).json()


def test_overview(client):
    page = client.get("/")
    assert page.status_code == 200 and "Overview" in page.text and "Most contested events" in page.text
    data = first(client, "/index.json")
    assert data["totals"]["documents"] == 7 and data["totals"]["claims"] > 50
    assert set(data["by_side"]) <= {"RU", "UA", "THIRD", "UNKNOWN"} and data["timeline"]
    filtered = first(client, "/index.json?type=casualties&side=UA&since=2022-01-01&until=2022-12-31")
    assert set(filtered["by_type"]) <= {"casualties"} and set(filtered["by_side"]) <= {"UA"}
    assert filtered["filters"] == {"type": "casualties", "side": "UA", "since": "2022-01-01", "until": "2022-12-31"}


def test_events_list_filters_and_sorting(client):
    everything = first(client, "/events.json?per_page=500")
    assert everything["total"] == len(everything["events"]) > 10
    for sort in ("date", "claims", "sources", "contested"):
        r = first(client, f"/events.json?sort={sort}")
        assert r["events"]
    by_claims = first(client, "/events.json?sort=claims")["events"]
    assert [len(e["claim_ids"]) for e in by_claims] == sorted((len(e["claim_ids"]) for e in by_claims), reverse=True)
    movement = first(client, "/events.json?type=movement")["events"]
    assert movement and all(e["type"] == "movement" for e in movement)
    for status in ("corroborated", "single_source", "contested"):
        assert all(e["status"] == status for e in first(client, f"/events.json?status={status}")["events"])
    ua = first(client, "/events.json?side=UA")["events"]
    assert ua and all("UA" in e["sides"] for e in ua)
    izyum = first(client, "/events.json?place=Izyum")["events"]  # any spelling
    assert izyum and all(any(p["name"] == "Izium" for p in e["places"]) for e in izyum)
    paged = first(client, "/events.json?per_page=2&page=2")
    assert paged["page"] == 2 and len(paged["events"]) == 2
    assert "Events" in client.get("/events?type=territory&status=corroborated").text


def test_event_page_has_sides_side_by_side(client):
    withdrawal = first(client, "/events.json?type=movement&sort=claims")["events"][0]
    data = first(client, f"/events/{withdrawal['event_id']}.json")
    assert data["event"]["event_id"] == withdrawal["event_id"]
    assert set(data["columns"]) == {"RU", "UA", "THIRD", "UNKNOWN"} and data["columns"]["RU"]
    page = client.get(f"/events/{withdrawal['event_id']}")
    assert page.status_code == 200 and 'data-side="RU"' in page.text and 'data-side="UA"' in page.text


def test_claim_and_document_pages(client):
    claim_id = next(c for c in first(client, "/documents/002_8b076f6054a706c2.json")["claims"])["claim_id"]
    data = first(client, f"/claims/{claim_id}.json")
    assert data["claim"]["claim_id"] == claim_id
    assert "".join(s["text"] for s in data["segments"]) == data["document"]["text"]
    assert client.get(f"/claims/{claim_id}").text.count("<mark") == 1
    doc = first(client, "/documents/002_8b076f6054a706c2.json")
    assert doc["document"]["doc_id"] == "002_8b076f6054a706c2" and len(doc["claims"]) > 20
    page = client.get("/documents/002_8b076f6054a706c2")
    assert page.text.count('class="claimspan"') == len(doc["claims"])


def test_search(client):
    r = first(client, "/search.json?q=Konashenkov")
    assert r["claims"] and all("Konashenkov" in c["snippet"] or "Konashenkov" in (c["claimant"] or "")
                               for c in r["claims"])
    assert r["documents"]
    assert "<mark>Konashenkov</mark>" in client.get("/search?q=Konashenkov").text
    assert first(client, "/search.json?q=")["claims"] == []


def test_a_ukrainian_claim_is_shown_as_written_with_its_language(client):
    r = first(client, "/search.json?q=Вовчанськ")  # a stem: "з Вовчанська" matches
    assert r["claims"] and "Вовчанська" in r["claims"][0]["snippet"]
    page = client.get(f"/claims/{r['claims'][0]['claim_id']}").text
    assert 'lang="uk"' in page and "in Ukrainian" in page and "Oleh Syniehubov" in page
    assert "Евакуювали" not in page and "евакуювали понад 500 жителів" in page


@pytest.mark.parametrize("path", ["/events/nope", "/claims/nope", "/documents/nope", "/events/nope.json"])
def test_not_found_is_coded(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "E404" in r.text


@pytest.mark.parametrize("path", ["/events?status=bogus", "/events.json?sort=bogus", "/index.json?since=yesterday",
                                  "/map.json?side=MARS", "/events.json?type=gossip"])
def test_bad_filters_are_coded(client, path):
    r = client.get(path)
    assert r.status_code == 400 and "E040" in r.text


def test_read_only(client):
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/events").status_code == 405


def test_security_headers_and_openapi(client):
    r = client.get("/")
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    spec = client.get("/openapi.json").json()
    assert {"/", "/map", "/events", "/events/{event_id}", "/claims/{claim_id}", "/documents/{doc_id}",
            "/search"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert "swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()


def test_map(client):
    markers = first(client, "/map.json")["markers"]
    assert markers and all(m["lat"] is not None for m in markers)
    page = client.get("/map").text
    assert "/static/vendor/leaflet/leaflet.js" in page and 'id="map-data"' in page
    assert client.get("/static/vendor/world-atlas/countries-50m.json").status_code == 200
