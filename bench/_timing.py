"""Timing helpers shared by the benchmarks: median of individually timed calls."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from typing import Any


def median_us(fn: Callable[[], Any], rounds: int, *, warmup: int = 2) -> float:
    """Median wall time of ``fn()`` in microseconds over ``rounds`` calls.

    The median, not the mean, so that a garbage-collection pause or a scheduler
    hiccup on a shared CI machine does not move the figure.
    """
    for _ in range(warmup):
        fn()
    samples = []
    clock = time.perf_counter
    for _ in range(max(rounds, 1)):
        start = clock()
        fn()
        samples.append(clock() - start)
    return statistics.median(samples) * 1e6


def median_us_prepared(
    prepare: Callable[[], Any], fn: Callable[[Any], Any], rounds: int, *, warmup: int = 2
) -> float:
    """Like :func:`median_us` but ``prepare()`` (untimed) makes a fresh input for each call."""
    for _ in range(warmup):
        fn(prepare())
    samples = []
    clock = time.perf_counter
    for _ in range(max(rounds, 1)):
        arg = prepare()
        start = clock()
        fn(arg)
        samples.append(clock() - start)
    return statistics.median(samples) * 1e6


def samples_us(
    prepare: Callable[[], Any], fn: Callable[[Any], Any], rounds: int, *, warmup: int = 2
) -> list[float]:
    """Every call's wall time in microseconds, ``prepare()`` (untimed) feeding each call.

    For figures that need the tail (p99) as well as the median.
    """
    for _ in range(warmup):
        fn(prepare())
    samples = []
    clock = time.perf_counter
    for _ in range(max(rounds, 1)):
        arg = prepare()
        start = clock()
        fn(arg)
        samples.append((clock() - start) * 1e6)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.99 for p99) of non-empty ``samples``."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(len(ordered) * fraction))
    return ordered[rank - 1]
