"""``accord evidence suggest``: candidate sentences to cite for one number of a case, ranked, ready to paste.

Ranking is BM25 over the corpus's sentences (:mod:`accord.case.passages`); with ``--semantic`` (the
``accord[semantic]`` extra) the 100 best lexical candidates are re-ranked by embedding similarity and
the two rankings fused by reciprocal rank fusion, as ``accord corpus search --semantic`` does.
``--write`` records the chosen pointer in the case file, as text so comments and layout stay.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import fail as _fail

__all__ = ["suggest_cmd", "write_pointer"]

NOTE_PLACEHOLDER = "TODO in your own words: what this passage says about the number"


def _semantic(passages: list, query: str, limit: int) -> list:
    from accord.corpus import semantic

    try:
        embedder = semantic.get_embedder()
    except semantic.SemanticUnavailable as exc:
        raise _fail(str(exc), semantic.SemanticUnavailable.hint) from None
    vectors = embedder.embed([p.text for p in passages])
    q = embedder.embed([query])[0]
    by_meaning = sorted(range(len(passages)), key=lambda i: -float(vectors[i] @ q))
    fused = semantic.rrf([list(range(len(passages))), by_meaning])
    return [passages[i] for i, _ in fused[:limit]]


def write_pointer(text: str, located, path: tuple, pointer: dict) -> str:  # noqa: ANN001 - Located
    """The case text with ``pointer`` added to the evidence list of the quantity at ``path``."""
    node = located.data
    for key in path:
        node = (
            node[key]
            if isinstance(node, dict | list)
            and (isinstance(node, dict) and key in node or isinstance(node, list))
            else None
        )
    if not isinstance(node, dict):
        raise ValueError(
            "the number is not written as a block (value: ... / evidence: ... lines); cite it by hand"
        )
    if "estimates" in node:
        raise ValueError("the number has several estimates; add the pointer under one of them by hand")
    flow = json.dumps(pointer["doc"])
    item = (
        f"{{doc: {flow}, start: {pointer['start']}, end: {pointer['end']}, sha256: {pointer['sha256']}, "
        f"note: {json.dumps(NOTE_PLACEHOLDER)}}}"
    )
    lines = text.splitlines(keepends=True)
    if "evidence" not in node or path + ("evidence",) not in located.marks:
        raise ValueError("the number has no `evidence:` line to add to; add `evidence: []` under it")
    line_no, col = located.marks[path + ("evidence",)]
    i, indent = line_no - 1, col - 1
    match = re.match(r"^(\s*)evidence:\s*(\[\s*\]|null|~)?\s*(#.*)?$", lines[i].rstrip("\n"))
    if match is None:
        raise ValueError("the evidence list is written inline; add the pointer by hand")
    if match.group(2) is not None or node.get("evidence") in (None, []):
        lines[i] = f"{' ' * indent}evidence:\n{' ' * (indent + 2)}- {item}\n"
        return "".join(lines)
    end = i + 1
    while end < len(lines):
        stripped = lines[end].strip()
        depth = len(lines[end]) - len(lines[end].lstrip(" "))
        if (
            stripped
            and not stripped.startswith("#")
            and (depth < indent or (depth == indent and not stripped.startswith("-")))
        ):
            break
        end += 1
    while end > i + 1 and (not lines[end - 1].strip() or lines[end - 1].strip().startswith("#")):
        end -= 1
    first = next(ln for ln in lines[i + 1 : end] if ln.strip().startswith("-"))
    pad = len(first) - len(first.lstrip(" "))
    lines.insert(end, f"{' ' * pad}- {item}\n")
    return "".join(lines)


def suggest_cmd(
    case: Annotated[str, typer.Argument(help="A case file (a draft is fine) or a built-in case name.")],
    what: Annotated[
        str,
        typer.Argument(
            help="The number: ACTOR.ISSUE.position|salience|capability, ACTOR.capability or ISSUE.status_quo."
        ),
    ],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of the corpus texts.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=50, help="How many candidates.")] = 5,
    semantic: Annotated[
        bool, typer.Option("--semantic", help="Re-rank by meaning too (needs accord[semantic]).")
    ] = False,
    write: Annotated[
        bool,
        typer.Option("--write", help="Record a candidate's pointer (with a note to write) in the case file."),
    ] = False,
    pick: Annotated[
        int, typer.Option("--pick", min=1, help="With --write: which candidate (1 = the best).")
    ] = 1,
    json_out: Annotated[bool, typer.Option("--json", help="Print the candidates as JSON.")] = False,
) -> None:
    """Rank the corpus's sentences as evidence for one number; print each as a pointer, or --write one."""
    from accord.case.draft import draft_report, validate_draft_data
    from accord.case.io import resolve_case_path
    from accord.case.passages import index_sentences, rank_passages, slot_query, slot_terms
    from accord.case.validate import parse_yaml_text, validate_text
    from accord.cli.common import load_corpus_or_exit
    from accord.cli.main import console, print_json

    texts = load_corpus_or_exit(corpus)
    report = draft_report(case)
    if not report.ok:
        raise _fail(
            f"{case}: {len(report.problems)} problem(s); first: {report.problems[0]}",
            "accord case validate --draft",
        )
    path_file = resolve_case_path(case)
    original = path_file.read_text(encoding="utf-8")
    located = parse_yaml_text(original, str(path_file), "docs/case-format.md")
    path, forms, issue_words, attribute = slot_terms(located.data, what)  # type: ignore[arg-type]
    query = slot_query(forms, issue_words, attribute)
    index = index_sentences(texts.texts)
    found = rank_passages(index, query, require=forms, limit=100 if semantic else limit)
    if semantic and found:
        found = _semantic(found, f"{' '.join(forms[:1])} {issue_words} {attribute.replace('_', ' ')}", limit)
    if not found:
        raise _fail(
            f"no sentence of {corpus} matches {what}",
            "try `accord corpus search` with other words, or `accord evidence locate`",
        )
    if write:
        if pick > len(found):
            raise _fail(f"--pick {pick}: only {len(found)} candidate(s)")
        chosen = found[pick - 1]
        try:
            edited = write_pointer(original, located, path, chosen.pointer())
        except ValueError as exc:
            raise _fail(f"cannot write into {path_file}: {exc}", "paste the pointer below by hand") from None
        check = validate_text(edited, str(path_file), texts, data_check=validate_draft_data)
        if not check.ok:
            raise _fail(
                f"the edited case would not validate: {check.problems[0]}", f"{path_file} is unchanged"
            )
        path_file.write_text(edited, encoding="utf-8")
        console.print(
            f"cited {chosen.doc} [{chosen.start}, {chosen.end}) for {what} in {path_file}; write its note, "
            "and the value if it is still null",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )
        return
    if json_out:
        print_json([{**p.pointer(), "score": round(p.score, 4), "text": p.text} for p in found])
        return
    for rank, p in enumerate(found, start=1):
        console.print(
            f"{rank}. {{doc: {p.doc}, start: {p.start}, end: {p.end}, sha256: {p.sha256}}}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        console.print(f"   {escape(p.preview(20))}", highlight=False, soft_wrap=True)
