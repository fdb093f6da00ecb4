"""Helpers for the benchmarks: the corpus replicated to any size, peak memory of a child run."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def corpus_texts(english_only: bool = True) -> list[tuple[str, str]]:
    """(name, text) for the corpus articles (and the seeds), read from ../shared or the bundled seeds."""
    out = []
    if (CORPUS / "articles").is_dir():
        out += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "articles").glob("*.txt"))]
        if not english_only:
            out += [(f"ol{p.stem}", p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "other_lang").glob("*.txt"))]
    out += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples" / "seeds").glob("*.txt"))]
    return out


def replicate(n: int, english_only: bool = True) -> list[tuple[str, str]]:
    """``n`` documents: copy k of each article gets its own first line, so every copy is new content
    (and a near-duplicate of the original, as syndicated copies are)."""
    base = corpus_texts(english_only)
    out = []
    k = 0
    while len(out) < n:
        for name, text in base:
            if len(out) >= n:
                break
            out.append((f"{name}-r{k}", f"Edition {k} of report {name}.\n{text}"))
        k += 1
    return out


def replicate_other_languages(n: int, per_doc: int = 3) -> list[tuple[str, str, str]]:
    """``n`` Russian/Ukrainian documents as (name, language, text), each ``per_doc`` corpus articles
    of one language joined (the stored copies are cut at ~1,000 characters; joined, a document is
    about as long as an English article, so costs per character compare like with like)."""
    import json
    path = CORPUS / "other_lang.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_lang = {lang: [r["text"] for r in rows if r["language"] == lang] for lang in ("ru", "uk")}
    out, k = [], 0
    while len(out) < n:
        for lang, texts in by_lang.items():
            if len(out) >= n:
                break
            pick = [texts[(k * per_doc + j) % len(texts)] for j in range(per_doc)]
            head = "Выпуск" if lang == "ru" else "Випуск"
            out.append((f"{lang}-{k}", lang, f"{head} {k}.\n" + "\n\n".join(pick)))
        k += 1
    return out


def write_folder(docs: list[tuple[str, str]], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def run_child(args: list[str], env: dict | None = None) -> dict:
    """Run ``python args`` and return its JSON report plus wall time and peak memory (MiB)."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"{args} failed:\n{proc.stderr[-3000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    last = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    report = json.loads(last[-1]) if last else {}
    report.setdefault("wall_s", wall)
    return report


def peak_mib() -> float:
    """Peak resident memory of this process or of the largest of its finished children (workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def table(rows: list[dict], cols: list[str]) -> str:
    widths = [max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in cols]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths))]
    lines += ["  ".join(_fmt(r.get(c)).ljust(w) for c, w in zip(cols, widths)) for r in rows]
    return "\n".join(lines)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return "" if v is None else str(v)
