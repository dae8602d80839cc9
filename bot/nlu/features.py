"""Word and character TF-IDF beside the sentence embedding: typos and drug names keep a handle.

Kept as vocabularies and idf weights (JSON and arrays) rather than pickled vectorizers, so a model file can
be loaded without running anything stored in it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

# (analyzer, n-gram range): words and word pairs; character 2-5-grams inside word boundaries.
_VIEWS: dict[str, tuple[str, tuple[int, int]]] = {"word": ("word", (1, 2)), "char": ("char_wb", (2, 5))}
_MIN_DF = 2


class LexicalFeatures:
    def __init__(self, vocabularies: dict[str, dict[str, int]], idfs: dict[str, np.ndarray]) -> None:
        self._idfs = idfs
        self._counters = {
            name: CountVectorizer(analyzer=analyzer, ngram_range=ngrams, lowercase=True, vocabulary=vocabularies[name])
            for name, (analyzer, ngrams) in _VIEWS.items()
        }
        self._vocabularies = vocabularies

    @classmethod
    def fit(cls, texts: list[str]) -> LexicalFeatures:
        vocabularies, idfs = {}, {}
        for name, (analyzer, ngrams) in _VIEWS.items():
            fitted = TfidfVectorizer(
                analyzer=analyzer, ngram_range=ngrams, lowercase=True, min_df=_MIN_DF, sublinear_tf=True
            ).fit(texts)
            vocabularies[name] = {term: int(index) for term, index in fitted.vocabulary_.items()}
            idfs[name] = fitted.idf_.astype(np.float32)
        return cls(vocabularies, idfs)

    def transform(self, texts: list[str]) -> np.ndarray:
        """Each view sublinear-tf x idf and L2-normalised, as TfidfVectorizer does; views side by side."""
        blocks = []
        for name, counter in self._counters.items():
            counts = counter.transform(texts).astype(np.float32)
            counts.data = 1.0 + np.log(counts.data)
            blocks.append(normalize(counts.multiply(self._idfs[name]).tocsr()).toarray())
        return np.hstack(blocks).astype(np.float32)

    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {"vocabularies": self._vocabularies}, {f"idf_{name}": idf for name, idf in self._idfs.items()}

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> LexicalFeatures:
        return cls(meta["vocabularies"], {name: arrays[f"idf_{name}"] for name in _VIEWS})
