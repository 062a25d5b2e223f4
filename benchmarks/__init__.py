"""Benchmarks: a deterministic generator of German supplier documents and the runners that
measure ingest and search on them, side by side with plain Whoosh. Not tests: nothing here
asserts a time; results go to BENCHMARKS.md."""
