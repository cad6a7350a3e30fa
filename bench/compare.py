"""A benchmark at a baseline commit and at the working tree, in the same run (issue 16).

    python -m bench compare NAME [--baseline 47cfea4] [--rounds 1] [--same-bench] [-- ARGS...]

Machines differ up to three times in speed, and one machine differs from hour to hour, so a
figure means something only beside the baseline's measured in the same run. The baseline is
checked out in a temporary git worktree and its own ``bench/NAME.py`` runs there with this
Python; the rounds alternate (baseline, current, baseline, …) so a drift of the machine
falls on both. Every figure a line prints (``… 12,345 rows/s``, ``p95 123.4 ms``) is read
with the line's label, and the ratio current ÷ baseline is printed per label; the raw output
of every round and the figures go to ``bench/results/compare-NAME-<time>.json``.

With ``--same-bench`` the working tree's ``bench/*.py`` are copied into the baseline's
worktree, so both sides are measured by the same benchmark code (a figure the baseline's
benchmark did not print, such as a new period, then has a ratio too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import ROOT

# "label ...  12,345 rows/s" and "label ... p95 123.4 ms": the label is the text before the figure.
FIGURES = [
    ("rows_per_s", re.compile(r"([\d,]+(?:\.\d+)?)\s*rows/s")),
    ("p95_ms", re.compile(r"p95\s+([\d,]+(?:\.\d+)?)\s*ms")),
    ("p50_ms", re.compile(r"p50\s+([\d,]+(?:\.\d+)?)\s*ms")),
]


def figures(output: str) -> dict[str, dict[str, float]]:
    """{label: {figure: value}} for every line that prints a known figure."""
    found: dict[str, dict[str, float]] = {}
    section = ""
    for line in output.splitlines():
        if line.startswith(("---", "===")) or line.endswith(":"):
            section = line.strip("-=: ").split(" (")[0]
        for name, pattern in FIGURES:
            m = pattern.search(line)
            if m is None:
                continue
            # The label is the line's first column (columns are separated by two spaces or more).
            label = re.split(r"\s{2,}", line[: line.find("p50") if "p50" in line else m.start()].strip())[0]
            key = f"{section} / {label}".strip(" /")
            found.setdefault(key, {})[name] = float(m.group(1).replace(",", ""))
    return found


def run_bench(where: Path, name: str, args: list[str]) -> str:
    out = subprocess.run([sys.executable, "-m", "bench", name, *args], cwd=where, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"bench {name} failed in {where}:\n{out.stderr[-3000:]}")
    return out.stdout


def compare(name: str, baseline: str, args: list[str], rounds: int,
            same_bench: bool = False) -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", baseline], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    outputs: dict[str, list[str]] = {"baseline": [], "current": []}
    with tempfile.TemporaryDirectory(prefix="ruta-bench-baseline-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True,
                       capture_output=True)
        if same_bench:
            for source in (ROOT / "bench").glob("*.py"):
                shutil.copy2(source, tree / "bench" / source.name)
        try:
            for _ in range(rounds):
                outputs["baseline"].append(run_bench(tree, name, args))
                outputs["current"].append(run_bench(ROOT, name, args))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    merged: dict[str, dict[str, dict[str, float]]] = {}
    for side, texts in outputs.items():
        per_round = [figures(t) for t in texts]
        labels = set().union(*(r.keys() for r in per_round))
        merged[side] = {label: {f: statistics.median(r[label][f] for r in per_round if f in r.get(label, {}))
                                for f in {f for r in per_round for f in r.get(label, {})}} for label in labels}
    ratios = {label: {f: round(v / merged["baseline"][label][f], 3) for f, v in figs.items()
                      if merged["baseline"].get(label, {}).get(f)}
              for label, figs in merged["current"].items() if label in merged["baseline"]}
    return {"bench": name, "args": args, "rounds": rounds, "same_bench": same_bench, "baseline": commit,
            "current": head,
            "figures": merged, "ratio_current_to_baseline": ratios, "outputs": outputs}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench compare")
    parser.add_argument("name")
    parser.add_argument("--baseline", default="47cfea4")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--same-bench", action="store_true",
                        help="measure the baseline with the working tree's benchmark code")
    own, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    a = parser.parse_args(own)  # the benchmark's own arguments come after "--"
    r = compare(a.name, a.baseline, extra, a.rounds, a.same_bench)
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / f"compare-{a.name}-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
    print(f"bench {a.name}: baseline {r['baseline'][:7]} vs current {r['current'][:7]}, {a.rounds} round(s)")
    for label, ratio in sorted(r["ratio_current_to_baseline"].items()):
        for f, v in sorted(ratio.items()):
            print(f"  {label[:70]:70} {f:10} {r['figures']['baseline'][label][f]:>10,.1f} → "
                  f"{r['figures']['current'][label][f]:>10,.1f}  ×{v}")
    only = sorted(set(r["figures"]["current"]) - set(r["figures"]["baseline"]))
    if only:
        print("  only in the current tree: " + "; ".join(only[:10]))
    print(f"  written to {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
