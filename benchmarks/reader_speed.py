"""Files per second of valreg's safe reader beside the YAML loaders it could have used.

Usage: python benchmarks/reader_speed.py [--files N]

Reads N in-memory copies of this repository's YAML files (values, manifests, rounds;
the municipality list is left out as it is one large file) with each reader, in one
process, and prints files per second and the ratio to valreg's reader. Only valreg's
reader also refuses anchors, tags, duplicate keys, control characters … and keeps
every node's position; the others only parse.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

from valreg.registry.yamlio import load_yaml

REPO = Path(__file__).resolve().parent.parent


def _corpus(count: int) -> list[bytes]:
    files = [
        p.read_bytes()
        for p in sorted(REPO.glob("values/*.yaml"))
        + sorted(REPO.glob("registry/rounds/*/round.yaml"))
        + sorted(REPO.glob("registry/releases/*.yaml"))
    ]
    return [files[i % len(files)] for i in range(count)]


def _readers() -> dict[str, Callable[[bytes], Any]]:
    safe = YAML(typ="safe", pure=True)
    round_trip = YAML(typ="rt")
    return {
        "valreg safe reader (libyaml events)": load_yaml,
        "PyYAML yaml.load(CSafeLoader)": lambda data: yaml.load(data, Loader=yaml.CSafeLoader),
        "ruamel.yaml safe (pure)": lambda data: safe.load(io.BytesIO(data)),
        "ruamel.yaml round-trip": lambda data: round_trip.load(io.BytesIO(data)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    args = parser.parse_args()
    corpus = _corpus(args.files)
    rates: dict[str, float] = {}
    for name, read in _readers().items():
        start = time.perf_counter()
        for data in corpus:
            read(data)
        rates[name] = len(corpus) / (time.perf_counter() - start)
    reference = rates["valreg safe reader (libyaml events)"]
    print(f"{'reader':<40} {'files/s':>9} {'× valreg':>9}")
    for name, rate in rates.items():
        print(f"{name:<40} {rate:>9,.0f} {rate / reference:>9.2f}")


if __name__ == "__main__":
    main()
