"""`python -m bench [--quick] [--only NAME …]`: every measurement the issues name, one table,
and `bench/results.json`."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

from bench.context import Context
from bench.timing import Row

MEASURES = ("startup", "digest", "documents", "dispatch", "tick", "pacing", "memory", "http",
            "kamer")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def print_table(rows: list[Row]) -> None:
    """The results as an aligned text table."""
    header = ("measurement", "median ms", "p99 ms", "floor ms", "ratio", "target", "ok")
    lines = [header] + [(r.name, _fmt(r.median_ms), _fmt(r.p99_ms), _fmt(r.floor_ms),
                         "—" if r.ratio is None else f"{r.ratio:.1f}×", r.target,
                         {True: "yes", False: "NO", None: ""}[r.ok]) for r in rows]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for i, line in enumerate(lines):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * width for width in widths))
    for row in rows:
        if row.note:
            print(f"- {row.name}: {row.note}")


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke mode: small data, few runs")
    parser.add_argument("--only", nargs="*", choices=MEASURES, help="run only these")
    parser.add_argument("-o", "--output", default=str(Path(__file__).with_name("results.json")))
    args = parser.parse_args(argv)
    ctx = Context(quick=args.quick)
    rows: list[Row] = []
    failed: list[str] = []
    started = time.perf_counter()
    for name in args.only or MEASURES:
        module = importlib.import_module(f"bench.measures.{name}")
        print(f"… {name}", file=sys.stderr, flush=True)
        begun = time.perf_counter()
        try:
            rows.extend(module.run(ctx))
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"… {name}: {time.perf_counter() - begun:.1f} s", file=sys.stderr, flush=True)
    print_table(rows)
    result = {"quick": args.quick, "machine": machine(), "seconds": time.perf_counter() - started,
              "rows": [r.as_dict() for r in rows], "failed": failed}
    Path(args.output).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    if failed:
        print(f"measurements that crashed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
