"""Property-based tests over the readers, the JSON Lines parser, the manifest, the cleaner and
the extractor: whatever the bytes, every input ends as a stored document or a coded
rejection, the other inputs of the batch are stored, and no exception escapes.

Bounded (a fixed number of examples each, derandomized so every run tries the same ones) to
keep ``make test`` fast; raise FUZZ_EXAMPLES to search longer.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger import Ledger, Options, ingest
from claimledger.ingest.clean import clean_text, guess_title, split_source_line
from claimledger.ingest.prepare import prepare
from claimledger.ingest.readers import RawInput
from claimledger.errors import InputError
from claimledger.model import Document
from tests.conftest import SEEDS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CODE = re.compile(r"^[EW]\d{3}$")
GOOD = "Russian forces shelled Kharkiv overnight, killing two civilians, the governor said.\n"
SEED_BYTES = sorted(SEEDS.glob("*.txt"))[1].read_bytes()[:3000]


def _mutated(data: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(data)
    for at, junk in cuts:
        at %= max(1, len(out))
        out[at:at + len(junk)] = junk
    return bytes(out)


TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
ANY_BYTES = st.one_of(
    st.binary(max_size=1500),
    st.builds(lambda t, enc: t.encode(enc, errors="ignore"), TEXTS,
              st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1251", "latin-1"])),
    st.builds(_mutated, st.just(SEED_BYTES), st.lists(st.tuples(st.integers(0, 3000), st.binary(min_size=1, max_size=8)),
                                                     max_size=6)),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False), TEXTS)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
                    max_leaves=12)
FIELDS = st.sampled_from(["id", "doc_id", "title", "outlet", "url", "published", "language", "text", "html"])
RECORDS = st.one_of(
    JSON,
    st.dictionaries(FIELDS, JSON, max_size=6),
    st.builds(lambda extra, text: {**extra, "text": text}, st.dictionaries(FIELDS, JSON, max_size=5),
              st.one_of(TEXTS, st.just(GOOD))),
)


def _run(files: dict[str, bytes], manifest: bytes | None = None, **options):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        (folder / "zz-good.txt").write_text(GOOD)
        manifests = None
        if manifest is not None:
            (Path(tmp) / "manifest.jsonl").write_bytes(manifest)
            manifests = [str(Path(tmp) / "manifest.jsonl")]
        ledger = Ledger(Path(tmp) / "l.db")
        report = ingest([str(folder)], ledger, Options(extract=False, quiet=True, **options), manifests=manifests)
        ids = ledger.document_ids()
        sources = [r[0] for r in ledger.db.execute("SELECT source FROM documents")]
        stored_rejections = ledger.rejections()
        ledger.close()
    assert "zz-good" in ids, report.rejected  # the other inputs of the batch are stored
    assert all(CODE.match(r.code) for r in report.rejected + report.warnings + stored_rejections)
    return report, sources, str(folder)


@FUZZ
@given(data=ANY_BYTES, suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]))
def test_any_file_is_stored_or_rejected_with_a_code(data, suffix):
    report, sources, folder = _run({f"fuzz{suffix}": data})
    path = f"{folder}/fuzz{suffix}"
    stored = any(s == path or s.startswith(path + ":") for s in sources)
    rejected = any(r.source == path or r.source.startswith(path + ":") for r in report.rejected)
    duplicate = report.unchanged > 0
    assert stored or rejected or duplicate, (data[:80], report.rejected)


@FUZZ
@given(records=st.lists(RECORDS, min_size=1, max_size=6))
def test_every_json_line_is_a_document_or_a_rejection_of_that_line(records):
    lines = [json.dumps(r, ensure_ascii=bool(len(records) % 2)) for r in records]
    report, sources, folder = _run({"dump.jsonl": ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")})
    path = f"{folder}/dump.jsonl"
    per_line = {int(s.rsplit(":", 1)[1]) for s in sources if s.startswith(path + ":")}
    per_line |= {r.line or int(r.source.rsplit(":", 1)[1]) for r in report.rejected if r.source.startswith(path + ":")}
    per_line |= {r.line for r in report.rejected if r.source == path and r.line}
    whole_file = any(r.source == path and not r.line for r in report.rejected)  # e.g. '[]': no records at all
    assert len(per_line) + report.unchanged >= len(lines) or whole_file, report.rejected


@FUZZ
@given(manifest=st.one_of(ANY_BYTES, st.lists(st.dictionaries(st.sampled_from(["file", "title", "outlet",
                                                                                "published", "url"]), JSON,
                                                               max_size=5), max_size=4)
                          .map(lambda rows: "".join(json.dumps(r) + "\n" for r in rows).encode())))
def test_any_manifest_leaves_the_articles_stored(manifest):
    _run({}, manifest=manifest)


@FUZZ
@given(text=TEXTS)
def test_the_cleaner_never_fails_and_never_invents_text(text):
    body, outlet = split_source_line(text)
    cleaned = clean_text(body)
    assert isinstance(cleaned, str)
    title = guess_title(body)
    assert title is None or isinstance(title, str)
    words = set(re.findall(r"\w+", text)) | set(re.findall(r"\w+", unicodedata.normalize("NFKC", text)))
    assert set(re.findall(r"\w+", cleaned)) <= words
    try:
        doc = prepare(RawInput("x", "fuzz", text=text))
    except InputError as e:
        assert CODE.match(e.code)
    else:
        assert isinstance(doc, Document) and doc.text.strip()


@settings(max_examples=max(10, EXAMPLES // 2), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "Cc", "S"]),
                    min_size=1, max_size=600))
def test_extraction_never_fails_and_claims_point_at_their_text(text):
    from claimledger.extract.run import extract_batch
    doc = Document(doc_id="f", text=GOOD + text + " " + GOOD, language="en", published="2022-09-10")
    [(out, claims)] = extract_batch([doc])
    assert "extraction_error" not in out.meta
    assert all(out.text[c.start:c.end] == c.sentence for c in claims)
