"""The knobs of a build that are not paths: batch sizes and the thresholds that decide how work runs.

The defaults are what the benchmarks chose (see ``bench/README.md``); tests pass smaller ones to see
batching, the process pool and cache folding on a handful of files.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuildSettings:
    """Batch sizes and thresholds of a build.

    Attributes:
        batch_files: files between batch boundaries on average: a batch ends after a file whose name
            hashes to 0 modulo this number, so editing or adding a file changes only its own batch.
        batch_max_files: at most this many files in a batch (what one changed file costs to redo).
        batch_max_chars: no more characters in a batch than this, unless one file alone is larger.
        parallel_min_chars: below this many characters of changed text, starting worker processes
            (a process pool or a local Dask cluster) costs more than it saves.
        max_cache_parts: parts of the build cache before they are folded into one.
        lock_timeout_s: seconds to wait for another build writing the same output folder or cache;
            negative waits as long as it takes, 0 refuses at once.
        dask_timeout_s: seconds to reach a Dask scheduler and to wait for its first worker.
        large_file_chars: a file at least this long reports progress within itself (when progress
            is shown).
    """

    batch_files: int = 32
    batch_max_files: int = 40
    batch_max_chars: int = 800_000
    parallel_min_chars: int = 400_000
    max_cache_parts: int = 8
    lock_timeout_s: float = -1
    dask_timeout_s: float = 10
    large_file_chars: int = 2_000_000


DEFAULT_SETTINGS = BuildSettings()
