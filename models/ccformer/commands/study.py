"""`ccformer study`: the ablation table of models/MODEL_CARD.md on the synthetic benchmark (ccformer.demo.study).

    python -m ccformer synth --task ms3 --clips 250 --size 64 --val-frac 0.04 --test-frac 0.12 --out W/data
    python -m ccformer study --work W --data-root W/data --seeds 0 1 --epochs 1 --size 64

Results go to W/results.jsonl (one line per row and seed; an interrupted study continues) and W/table.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ccformer.cli import CommandError

HELP = "train every ablation row (>= 2 seeds) on a synthetic MS3 set and write the ablation table"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--work", required=True, type=Path, help="folder for runs/, results.jsonl and table.md")
    p.add_argument("--data-root", required=True, type=Path, help="an MS3-layout folder (e.g. from `ccformer synth`)")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--rows", help="comma-separated row names (default: every row of ccformer.demo.study.ROWS)")
    p.add_argument("--table-only", action="store_true", help="only render table.md from results.jsonl")


def split_counts(root: Path) -> dict[str, int]:
    """Clips per split of an MS3-layout folder (from its ms3_meta_data.csv), for the table's caption."""
    import csv

    metas = sorted(root.rglob("ms3_meta_data.csv"))
    if not metas:
        raise CommandError(f"{root}: no ms3_meta_data.csv (not an MS3-layout folder)")
    counts: dict[str, int] = {}
    with metas[0].open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            counts[row["split"]] = counts.get(row["split"], 0) + 1
    return counts


def run(args: argparse.Namespace) -> int:
    import json

    from ccformer.demo.study import ROWS, render_table, run_study

    rows = [r.strip() for r in args.rows.split(",")] if args.rows else None
    unknown = [r for r in rows or [] if r not in ROWS]
    if unknown:
        raise CommandError(f"unknown row(s) {unknown}; rows: {list(ROWS)}")
    if len(args.seeds) < 2 and not args.table_only:
        raise CommandError("give at least 2 seeds: a difference is only meaningful against the seed spread")
    path = args.work / "results.jsonl"
    if args.table_only:
        if not path.is_file():
            raise CommandError(f"{path}: no results yet")
        records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    else:
        if not args.data_root.is_dir():
            raise CommandError(f"{args.data_root}: data folder not found")
        args.work.mkdir(parents=True, exist_ok=True)
        schedule = {"epochs": args.epochs, "size": args.size, "lr": args.lr, "seeds": args.seeds,
                    "clips": split_counts(args.data_root)}
        (args.work / "schedule.json").write_text(json.dumps(schedule) + "\n", encoding="utf-8")
        records = run_study(args.work, args.data_root, seeds=args.seeds, size=args.size, epochs=args.epochs,
                            lr=args.lr, rows=rows)
    table = render_table(records)
    (args.work / "table.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    return 0
