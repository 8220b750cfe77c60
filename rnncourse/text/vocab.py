"""Characters <-> integer ids, with one id for every character the training text lacks.

Introduced in notebook 12. Id 0 is ``<unk>``; the characters seen in the training text
follow in sorted order, so the same text always gives the same vocabulary. A held-out
text may contain a character the training text never did (a new symbol, an accent):
it is encoded as ``<unk>``, so the model and the baselines give it some probability
instead of failing.
"""

from __future__ import annotations

import numpy as np

__all__ = ["UNK", "Vocab"]

UNK = "<unk>"


class Vocab:
    """A character vocabulary.

    Parameters
    ----------
    chars : the known characters (duplicates are dropped; order is sorted)

    Attributes
    ----------
    itos : list of V tokens, ``itos[0] == "<unk>"``
    stoi : dict character -> id
    unk_id : 0
    """

    unk_id = 0

    def __init__(self, chars) -> None:
        chars = sorted(set(chars))
        bad = [c for c in chars if not isinstance(c, str) or len(c) != 1]
        if bad:
            raise ValueError(f"Vocab: every token must be one character, got {bad[:3]!r}.")
        self.itos: list[str] = [UNK, *chars]
        self.stoi: dict[str, int] = {c: i for i, c in enumerate(self.itos) if i > 0}

    @classmethod
    def from_text(cls, text: str) -> Vocab:
        """The vocabulary of the characters that occur in `text` (plus ``<unk>``)."""
        if not isinstance(text, str):
            raise TypeError(f"Vocab.from_text: text must be a str, not {type(text).__name__}.")
        return cls(text)

    def __len__(self) -> int:
        """V, the number of ids (the known characters and ``<unk>``)."""
        return len(self.itos)

    def __repr__(self) -> str:
        return f"Vocab(V = {len(self)}: <unk> and {len(self) - 1} characters)"

    def encode(self, text: str) -> np.ndarray:
        """`text` -> (len(text),) int64 ids; unknown characters become ``unk_id``."""
        if not isinstance(text, str):
            raise TypeError(f"Vocab.encode: text must be a str, not {type(text).__name__}.")
        get = self.stoi.get
        return np.fromiter((get(c, 0) for c in text), dtype=np.int64, count=len(text))

    def decode(self, ids, unk: str = "\N{REPLACEMENT CHARACTER}") -> str:
        """Ids -> text; ``<unk>`` is written as `unk` (one character by default)."""
        ids = np.asarray(ids).ravel()
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"decode: ids must lie in 0..{len(self) - 1}, got {ids.min()}..{ids.max()}.")
        return "".join(unk if i == 0 else self.itos[i] for i in ids.tolist())
