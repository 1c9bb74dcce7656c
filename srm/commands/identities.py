"""`srm identities …`: resolve, explain, review, accept/reject, unmerge, history, undo,
link-file, export, evaluate (a thin shell over :mod:`srm.graph.identity`)."""

from __future__ import annotations

import getpass
import json
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
import typer

from srm.commands.common import console, exit_on_error, fail, open_store, settings, step_line
from srm.errors import SRMError, ValidationError
from srm.graph.identity import decisions, pipeline
from srm.graph.identity.active import check_count
from srm.graph.identity.evaluate import evaluate_clusters, read_clusters
from srm.graph.identity.labels import MIN_LABELS
from srm.graph.identity.linkfile import link_frames, read_settings
from srm.graph.identity.social import DEFAULT_THRESHOLD
from srm.ingest.csvio import sniff
from srm.operations.decisions import audited_decision, audited_undo
from srm.operations.outputs import remember

app = typer.Typer(help="Identity resolution: which records are one person.", no_args_is_help=True)

Reviewer = Annotated[str, typer.Option("--by", help="Who decides (default: your user name).")]


@app.command()
def resolve(
    model: Annotated[Path | None, typer.Option(help="Score with this model JSON.")] = None,
    save_model: Annotated[Path | None, typer.Option(help="Save the fitted model here.")] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Merge pairs at this probability (default: chosen on the reviewed labels "
            f"when there are {MIN_LABELS} or more, else {DEFAULT_THRESHOLD})."
        ),
    ] = None,
    no_graph: Annotated[bool, typer.Option(help="Leave out graph evidence.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run the whole pipeline on the graph and write SAME_AS and PART_OF back.

    Every accepted or rejected pair is a label: the model's m/u and prior are refitted on
    them and, with enough of them, the threshold is chosen on them."""
    if threshold is not None and not 0.0 < threshold < 1.0:
        raise fail(f"--threshold takes a probability between 0 and 1 (got {threshold}).")
    with exit_on_error(), open_store() as driver, step_line() as step:
        summary = pipeline.resolve_graph(
            driver, model_path=model, save_model_path=save_model, threshold=threshold,
            with_graph=not no_graph, batch_size=settings().batch_size, on_step=step,
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(summary.to_json()))
    else:
        console.print(summary.line())


@app.command()
def explain(a: str, b: str) -> None:
    """Why two records are (not) the same person: the waterfall in words."""
    with exit_on_error(), open_store() as driver:
        console.print(pipeline.explain_pair(driver, a, b), highlight=False)


class Format(StrEnum):
    table = "table"
    csv = "csv"


@app.command()
def review(
    band: Annotated[str, typer.Option(help="Probability band low-high.")] = "0.5-0.9",
    limit: Annotated[int, typer.Option(help="At most this many pairs.")] = 50,
    suggest: Annotated[
        int | None,
        typer.Option(
            help="Instead of a band: the N unreviewed pairs whose labels would teach the "
            "model most (nearest the threshold, varied comparison patterns)."
        ),
    ] = None,
    output: Annotated[
        Format, typer.Option("--format", help="With --suggest: table, or CSV on stdout.")
    ] = Format.table,
) -> None:
    """List candidate pairs in a probability band, or suggested pairs, to accept or reject."""
    if suggest is not None:
        _suggest(suggest, output)
        return
    low, _, high = band.partition("-")
    try:
        bounds = float(low), float(high or 1.0)
    except ValueError:
        bounds = (-1.0, -1.0)
    if not 0.0 <= bounds[0] <= bounds[1] <= 1.0:
        raise fail(
            f"--band takes LOW-HIGH probabilities from 0 to 1, such as 0.5-0.9 (got {band!r})."
        )
    with exit_on_error(), open_store() as driver:
        rows = pipeline.review_queue(driver, bounds[0], bounds[1], limit)
    for row in rows:
        console.print(f"{row['probability']:.3f}  {row['a']}  {row['b']}", highlight=False)
    console.print(f"{len(rows)} pairs in {band}.")


def _suggest(count: int, output: Format) -> None:
    with exit_on_error():
        check_count(count)
        with open_store() as driver:
            found = decisions.merge_suggestions(driver, count)
    if output is Format.csv:
        lines = ["record_a,record_b,probability"]
        lines += [f"{s.record_a},{s.record_b},{s.probability:.6f}" for s in found]
        typer.echo("\n".join(lines))
        return
    for s in found:
        console.print(
            f"{s.probability:.3f}  {s.record_a}  {s.record_b}  ({s.reason})", highlight=False
        )
    console.print(f"{len(found)} pairs suggested; label them with 'srm identities accept|reject'.")


def _label_pair(action: Literal["accept", "reject"], a: str, b: str, by: str) -> None:
    """Record a reviewer's label on the pair (a, b), audited, and say how to undo it."""
    decide = pipeline.accept if action == "accept" else pipeline.reject
    with exit_on_error():
        reviewer = by or getpass.getuser()
        with open_store() as driver:
            audited_decision(
                driver, settings(), action, reviewer, [a, b],
                lambda: decide(driver, a, b, reviewer),
            )  # fmt: skip
    console.print(
        f"{action.capitalize()}ed (undo: 'srm identities undo'); "
        "'srm identities resolve' learns from it."
    )


@app.command()
def accept(a: str, b: str, by: Reviewer = "") -> None:
    """Mark two records as one person: B's person joins A's now, every later run keeps
    them together and learns from the label ('srm identities undo' reverts it)."""
    _label_pair("accept", a, b, by)


@app.command()
def reject(a: str, b: str, by: Reviewer = "") -> None:
    """Mark two records as different people: B leaves A's person now, no later run merges
    them and each learns from the label ('srm identities undo' reverts it)."""
    _label_pair("reject", a, b, by)


@app.command()
def unmerge(person: str, record: str, by: Reviewer = "") -> None:
    """Take a record out of a person (now and in later runs; 'srm identities undo' reverts
    it)."""
    with exit_on_error():
        reviewer = by or getpass.getuser()
        with open_store() as driver:
            new_id = audited_decision(
                driver, settings(), "unmerge", reviewer, [record],
                lambda: pipeline.unmerge(driver, person, record, reviewer),
            )  # fmt: skip
    console.print(f"{record} is now person {new_id}.")


@app.command()
def history(
    a: Annotated[str | None, typer.Argument(help="A record of the pair.")] = None,
    b: Annotated[str | None, typer.Argument(help="The other record.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many decisions.")] = 100,
) -> None:
    """Review decisions, newest first: all, or those on one pair (who, when, what, the
    pair's probability then, persons before → after)."""
    if limit < 1:
        raise fail(f"--limit must be at least 1 (got {limit}).")
    with exit_on_error(), open_store() as driver:
        rows = decisions.decision_history(driver, a, b, limit)
    for row in rows:
        probability = row.get("probability")
        shown = f"{probability:.3f}" if probability is not None else "  -  "
        undone = row.get("undone_at") and f"  (undone {row['undone_at']} by {row['undone_by']})"
        console.print(
            f"{row['decision_id']}  {row['at']}  {row['reviewer']}  {row['decision']}  "
            f"{row['record_a']} {row.get('record_b') or ''}  p={shown}  "
            f"{' '.join(row['persons_before'])} → {' '.join(row['persons_after'])}{undone or ''}",
            highlight=False,
        )
    console.print(f"{len(rows)} decisions.")


@app.command()
def undo(
    decision: Annotated[
        str | None, typer.Argument(help="Decision id (default: the last one not undone).")
    ] = None,
    by: Reviewer = "",
) -> None:
    """Revert a review decision: its SAME_AS statuses and its merge or split."""
    with exit_on_error():
        reviewer = by or getpass.getuser()
        with open_store() as driver:
            found = audited_undo(
                driver, settings(), reviewer, lambda: decisions.undo(driver, reviewer, decision)
            )
    console.print(
        f"Undid {found['decision_id']} ({found['decision']} {found['record_a']} "
        f"{found.get('record_b') or ''}).",
        highlight=False,
    )


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text columns, its encoding, delimiter and header line found as ingest finds
    them (:func:`srm.ingest.csvio.sniff`: UTF-8 or not, ``;`` or ``,``, notes above the
    header); an empty or binary file is a clear error."""
    found = sniff(path)
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding=found.encoding,
            sep=found.delimiter, skiprows=found.header_line - 1,
        )  # fmt: skip
    except pd.errors.EmptyDataError as error:
        raise ValidationError(f"{path}: the file is empty (no header).") from error
    except pd.errors.ParserError as error:
        raise ValidationError(f"{path}: not a readable CSV ({error}).") from error


@app.command(name="link-file")
def link_file(
    files: Annotated[list[Path], typer.Argument(help="One CSV to deduplicate or two to link.")],
    settings_file: Annotated[Path, typer.Option("--settings", help="Settings JSON.")],
    out: Annotated[Path, typer.Option(help="Write record_id,cluster_id here.")],
) -> None:
    """Deduplicate one CSV or link two, with a declarative settings file."""
    try:
        parsed = read_settings(settings_file)
        frames = [_read_csv(f) for f in files]
        result = link_frames(frames, parsed, sources=[str(f) for f in files])
    except (SRMError, OSError) as error:
        raise fail(f"{error}") from error
    columns = ["record_id", "cluster_id"] + (["dataset"] if len(files) > 1 else [])
    result.records[columns].to_csv(out, index=False)
    remember(settings(), out, "link-file clusters")
    clusters = result.records["cluster_id"].nunique()
    console.print(
        f"{len(result.records):,} records, {len(result.scored):,} pairs compared, "
        f"{clusters:,} clusters → {out} ({result.seconds:.1f} s)"
    )


@app.command()
def export(out: Annotated[Path, typer.Option(help="CSV file to write.")]) -> None:
    """Every customer and profile with its person id (record_id,person_id)."""
    with exit_on_error():
        with open_store() as driver:
            rows = pipeline.export_clusters(driver, out)
        remember(settings(), out, "identity clusters export")
    console.print(f"{rows:,} records → {out}")


@app.command()
def evaluate(
    truth: Annotated[Path, typer.Option(help="record_id,person_id ground truth.")],
    pred: Annotated[Path | None, typer.Option(help="Clusters CSV (default: the graph).")] = None,
) -> None:
    """Pairwise and B-cubed scores against a ground truth, split by record kinds."""
    with exit_on_error():
        expected = read_clusters(truth)  # a bad truth file fails before the store is opened
        if pred is None:
            # the graph's persons, through a temporary export (nothing left beside the truth)
            with open_store() as driver, tempfile.TemporaryDirectory() as folder:
                exported = Path(folder) / "clusters.csv"
                pipeline.export_clusters(driver, exported)
                predicted = read_clusters(exported)
        else:
            predicted = read_clusters(pred)
        scores = evaluate_clusters(predicted, expected)
    typer.echo(json.dumps(scores, indent=2))
