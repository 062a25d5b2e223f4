"""Search-quality evaluation: judged queries over corpus/, graded metrics, and a plain-Whoosh
baseline measured in the same run, so that every ranking change is judged against the documents
rather than against intuition. Run `python -m eval` from the repository root.
"""
