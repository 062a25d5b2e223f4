"""Whoosh analysis for German supplier text, built on `ingest.german` so that index terms and
taxonomy matching agree.

Whoosh pickles these classes into the index schema: keep this module path and the class names
stable, or indexes built before the change must be rebuilt (`ingest --rebuild`).
"""

from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Tokenizer

from ingest import german


class GermanTokenizer(Tokenizer):
    """Word tokens after expanding 'Maschinen- und Fahrzeugbau' into two whole words."""

    def __init__(self):
        self._inner = RegexTokenizer(german._WORD.pattern)

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, **kwargs):
        # guessed heads too: a search term, never a fact (see german.expand_ellipsis)
        return self._inner(german.expand_ellipsis(value, guess=True), **kwargs)


class GermanFilter(Filter):
    """Stem (folding umlaut spellings) and add the known parts of compounds at the same position."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        for t in tokens:
            if t.stopped:
                yield t
                continue
            word = t.text
            for term in german.word_terms(word):
                t.text = term
                yield t


class FoldFilter(Filter):
    """Unstemmed but spelling-folded words, for names and typo correction."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        for t in tokens:
            t.text = german.fold(t.text)
            yield t


def german_analyzer():
    return GermanTokenizer() | LowercaseFilter() | GermanFilter()


def name_analyzer():
    return RegexTokenizer(german._WORD.pattern) | LowercaseFilter() | FoldFilter()
