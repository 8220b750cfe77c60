"""Small synthetic data sets for the four RNN types, made on the fly and seeded.

Nothing is downloaded: every example comes from a tiny generator, so a data set
of thousands of sequences is ready in a fraction of a second, and the same seed
always gives the same examples.

===============  =====================  =========================================
function         RNN type               the task
===============  =====================  =========================================
`brackets`       many-to-one            is this bracket string well formed?
`pos_tagging`    many-to-many (equal)   tag every word of a toy sentence
`number_words`   encoder-decoder        ``3 4 5`` -> ``three hundred forty five``
`melodies`       one-to-many            a melody in the mode you ask for
===============  =====================  =========================================

Each function returns a `Task`: a training split and a validation split made
from *different* seeds, the vocabularies, and `Task.render` to print an example
as plain text. The two language tasks live in `rnncourse.language` and are
importable from here too.

**Inputs are one-hot, time-major, right-padded.** ``X`` has shape
``(T, n_in, m)``: ``X[t, :, i]`` is the one-hot column of token t of sequence i,
and the steps after the end of a shorter sequence (its padding) are columns of
zeros. ``lengths[i]`` says how many steps of sequence i are real. Because the
padding comes *after* the real steps, a recurrent layer reads every real step
before any padding, so the padding can never change a real step's activation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from .errors import check_indices

__all__ = [
    "Split",
    "Task",
    "one_hot",
    "pad_tokens",
    "brackets",
    "is_well_formed",
    "melodies",
    "MODES",
    "NOTE_NAMES",
    "LOWEST_NOTE",
    "N_NOTES",
    "note_label",
    "in_mode_share",
]


# ---------------------------------------------------------------------------
# Containers
# ---------------------------------------------------------------------------
@dataclass
class Split:
    """One split (training or validation) of a task: arrays in the course layout.

    Only the fields a task needs are set; the others stay None.

    Attributes
    ----------
    X : (T, n_in, m) one-hot inputs, time-major, zero columns at padded steps
    lengths : (m,) number of real input steps of each sequence
    y : (m,) one class per sequence (many-to-one, and the class of a melody)
    Y : (T_out, m) one target index per output step (-1 at padded steps)
    mask : (T_out, m) 1.0 at real output steps, 0.0 at padding
    inputs : the m input sequences as lists of tokens (for printing)
    targets : the m target sequences (or labels) as tokens (for printing)
    kinds : for `brackets`, the kind of each string ("well-formed", "closes-early", ...)
    """

    X: np.ndarray | None = None
    lengths: np.ndarray | None = None
    y: np.ndarray | None = None
    Y: np.ndarray | None = None
    mask: np.ndarray | None = None
    inputs: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    kinds: list = field(default_factory=list)

    def __len__(self) -> int:
        """m, the number of sequences."""
        for name in ("y", "lengths"):
            v = getattr(self, name)
            if v is not None:
                return int(v.shape[0])
        if self.Y is not None:
            return int(self.Y.shape[1])
        return len(self.inputs)

    def take(self, idx: np.ndarray | Sequence[int], tokens: bool = True) -> Split:
        """The sub-batch of the sequences `idx`, trimmed to its longest sequence.

        Parameters
        ----------
        idx : indices of the sequences to keep (their order is kept)
        tokens : also copy the lists `inputs`, `targets` and `kinds` (training does not need them)

        Returns
        -------
        Split with m = len(idx); ``X`` is cut to ``lengths[idx].max()`` steps and
        ``Y``, ``mask`` to the last step where some kept sequence has a target.
        """
        idx = np.asarray(idx, dtype=np.int64)
        out = Split()
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None:
                continue
            if f.name == "X":
                v = v[:, :, idx]
            elif f.name in ("Y", "mask"):
                v = v[:, idx]
            elif f.name in ("lengths", "y"):
                v = v[idx]
            elif tokens:
                v = [v[i] for i in idx] if len(v) else []
            else:
                continue
            setattr(out, f.name, v)
        if out.X is not None and out.lengths is not None and len(idx):
            out.X = out.X[: int(out.lengths.max())]
        if out.mask is not None and len(idx):
            rows = np.flatnonzero(out.mask.any(axis=1))
            T_out = int(rows[-1]) + 1 if rows.size else 1
            out.Y, out.mask = out.Y[:T_out], out.mask[:T_out]
        return out


@dataclass
class Task:
    """A task: its splits, vocabularies and how to print an example.

    Attributes
    ----------
    name : short name, e.g. "brackets"
    kind : "many-to-one", "many-to-many", "encoder-decoder" or "one-to-many"
    train, val : the two splits, generated from different seeds
    vocab : input tokens; token ``vocab[k]`` is the one-hot column with a 1 in row k
    out_vocab : output classes, tags, words or notes; index k is row k of the softmax
    seeds : (training seed, validation seed)
    """

    name: str
    kind: str
    train: Split
    val: Split
    vocab: list[str]
    out_vocab: list[str]
    seeds: tuple[int, int]
    description: str = ""

    @property
    def n_in(self) -> int:
        """Size of one input column (the one-hot length)."""
        return len(self.vocab)

    @property
    def n_out(self) -> int:
        """Number of output classes (rows of the softmax)."""
        return len(self.out_vocab)

    def render(self, i: int = 0, split: str = "train", prediction=None) -> str:
        """Example `i` of a split as one line of plain text.

        Parameters
        ----------
        i : index of the example in the split
        split : "train" or "val"
        prediction : optional model output for this example (a class index, a
            list of tag indices, a list of word indices, ...), printed after the truth
        """
        s = self.train if split == "train" else self.val
        src, tgt = s.inputs[i], s.targets[i]
        if self.kind == "many-to-one":
            text = f"{''.join(src):<22s} -> {tgt}"
            if prediction is not None:
                text += f"   (model: {self.out_vocab[int(prediction)]})"
        elif self.kind == "many-to-many":
            text = " ".join(f"{w}/{t}" for w, t in zip(src, tgt))
            if prediction is not None:
                wrong = [
                    f"{w}: {self.out_vocab[int(p)]} instead of {t}"
                    for w, t, p in zip(src, tgt, prediction)
                    if self.out_vocab[int(p)] != t
                ]
                text += "   (model: " + ("all right" if not wrong else "; ".join(wrong)) + ")"
        elif self.kind == "encoder-decoder":
            text = f"{' '.join(src):<6s} -> {' '.join(tgt)}"
            if prediction is not None:
                words = [self.out_vocab[int(k)] for k in prediction]
                text += f"   (model: {' '.join(words)})"
        else:  # one-to-many
            text = f"{src[0]:<5s} -> {' '.join(tgt)}"
            if prediction is not None:
                text += f"   (model: {' '.join(self.out_vocab[int(k)] for k in prediction)})"
        return text

    def __repr__(self) -> str:
        return (
            f"Task({self.name!r}, {self.kind}: {len(self.train)} training and {len(self.val)} "
            f"validation sequences, n_in = {self.n_in}, n_out = {self.n_out}, seeds {self.seeds})"
        )


# ---------------------------------------------------------------------------
# Encoding helpers
# ---------------------------------------------------------------------------
def one_hot(indices: np.ndarray, n: int) -> np.ndarray:
    """One-hot columns for a (T, m) array of indices; -1 gives a zero column.

    Parameters
    ----------
    indices : (T, m) integers in 0..n-1, or -1 for padding
    n : vocabulary size

    Returns
    -------
    X : (T, n, m) float64, X[t, k, i] = 1 where indices[t, i] == k
    """
    idx = np.asarray(indices)
    check_indices("one_hot", "indices", idx, n)
    idx = idx.astype(np.int64)
    T, m = idx.shape
    X = np.zeros((T, n, m))
    t, i = np.nonzero(idx >= 0)
    X[t, idx[t, i], i] = 1.0  # (T, n, m)
    return X


def pad_tokens(seqs: Sequence[Sequence[str]], vocab: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token lists -> right-padded index matrix and lengths.

    Returns
    -------
    idx : (T, m) index of each token in `vocab`, -1 after the end of a sequence
    lengths : (m,) number of tokens of each sequence
    """
    pos = {w: k for k, w in enumerate(vocab)}
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    idx = np.full((int(lengths.max()), len(seqs)), -1, dtype=np.int64)
    for i, s in enumerate(seqs):
        idx[: len(s), i] = [pos[w] for w in s]
    return idx, lengths


def _seeds(seed: int) -> tuple[int, int]:
    """The training and validation seeds derived from one task seed."""
    return seed, seed + 10_007


# ---------------------------------------------------------------------------
# Many-to-one: well-formed brackets
# ---------------------------------------------------------------------------
BRACKET_CLASSES = ["ill-formed", "well-formed"]


def is_well_formed(s: str) -> bool:
    """True if every ``)`` closes an earlier ``(`` and nothing is left open."""
    depth = 0
    for c in s:
        depth += 1 if c == "(" else -1
        if depth < 0:
            return False
    return depth == 0


def _dyck(rng: np.random.Generator, n_pairs: int) -> str:
    """A uniformly random well-formed string of `n_pairs` pairs (by rejection)."""
    while True:
        s = "".join(rng.permutation(list("(" * n_pairs + ")" * n_pairs)))
        if is_well_formed(s):
            return s


def _bracket_example(rng: np.random.Generator, max_len: int) -> tuple[str, int, str]:
    """(string, label, kind) with kind in well-formed / closes-early / left-open / unequal."""
    r = rng.random()
    if r < 0.5:
        return _dyck(rng, int(rng.integers(1, max_len // 2 + 1))), 1, "well-formed"
    if r < 0.5 + 0.5 / 3:
        # The hard negatives: as many ( as ), but a prefix closes too early.
        while True:
            n = int(rng.integers(1, max_len // 2 + 1))
            s = list(_dyck(rng, n))
            opens = [k for k, c in enumerate(s) if c == "("]
            i = int(rng.choice(opens))
            closes = [k for k in range(i + 1, len(s)) if s[k] == ")"]
            j = int(rng.choice(closes))
            s[i], s[j] = s[j], s[i]  # one swap keeps the counts equal
            s = "".join(s)
            if not is_well_formed(s):
                return s, 0, "closes-early"
    if r < 0.5 + 1.0 / 3:
        # Never closes too early, but something is left open (or a ) is missing).
        n = int(rng.integers(1, (max_len - 1) // 2 + 1))
        s = list(_dyck(rng, n))
        k = int(rng.integers(0, len(s) + 1))
        s.insert(k, "(")
        s = "".join(s)
        return s, 0, "left-open"
    while True:  # any string with unequal counts
        L = int(rng.integers(1, max_len + 1))
        s = "".join(rng.choice(["(", ")"], size=L))
        if s.count("(") != s.count(")"):
            return s, 0, "unequal"


def _bracket_split(seed: int, m: int, max_len: int, exclude: Split | None = None) -> Split:
    rng = np.random.default_rng(seed)
    seen = {"".join(s) for s in exclude.inputs} if exclude is not None else set()
    strings, labels, kinds = [], [], []
    while len(strings) < m:
        s, y, k = _bracket_example(rng, max_len)
        if s in seen:
            continue
        strings.append(s)
        labels.append(y)
        kinds.append(k)
    seqs = [list(s) for s in strings]
    idx, lengths = pad_tokens(seqs, ["(", ")"])
    return Split(
        X=one_hot(idx, 2),
        lengths=lengths,
        y=np.array(labels, dtype=np.int64),
        inputs=seqs,
        targets=[BRACKET_CLASSES[y] for y in labels],
        kinds=kinds,
    )


def brackets(n_train: int = 4000, n_val: int = 1000, max_len: int = 24, seed: int = 0) -> Task:
    """Many-to-one: is a string of ``(`` and ``)`` well formed?

    Half the strings are well formed (every ``)`` closes an earlier ``(``, and
    nothing is left open). The other half are, in equal shares:

    - *closes early*: as many ``(`` as ``)``, but a prefix closes more than it
      opened, e.g. ``)(`` or ``())(()``. Counting symbols cannot catch these: the
      order matters;
    - *left open*: never closes too early, but one ``(`` too many, e.g. ``(()``;
    - *unequal*: random strings with different numbers of ``(`` and ``)``.

    Parameters
    ----------
    n_train, n_val : number of strings in each split
    max_len : longest string
    seed : the training split uses `seed`, the validation split another seed;
        the validation split holds no string that occurs in the training split

    Returns
    -------
    Task with X : (T, 2, m) one-hot (row 0 is ``(``, row 1 is ``)``), lengths : (m,),
    y : (m,) with 1 = well formed; ``split.kinds`` names the kind of each string.
    """
    s_tr, s_val = _seeds(seed)
    train = _bracket_split(s_tr, n_train, max_len)
    return Task(
        name="brackets",
        kind="many-to-one",
        train=train,
        val=_bracket_split(s_val, n_val, max_len, exclude=train),
        vocab=["(", ")"],
        out_vocab=list(BRACKET_CLASSES),
        seeds=(s_tr, s_val),
        description="Is the bracket string well formed? One label per string.",
    )


# ---------------------------------------------------------------------------
# One-to-many: melodies in a mode
# ---------------------------------------------------------------------------
#: Semitones above the tonic of each scale degree.
MODES = {"major": [0, 2, 4, 5, 7, 9, 11], "minor": [0, 2, 3, 5, 7, 8, 10]}
NOTE_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
#: MIDI number of note index 0 (middle C); the notes are the 25 semitones C4..C6.
LOWEST_NOTE = 60
N_NOTES = 25


def note_label(k: int) -> str:
    """Name and octave of note index k, e.g. 0 -> 'C4', 15 -> 'Eb5'."""
    return f"{NOTE_NAMES[k % 12]}{4 + k // 12}"


def in_mode_share(notes: np.ndarray, mode: str) -> float:
    """Share of the notes (indices 0..24 above C4) that belong to the scale of `mode`."""
    notes = np.asarray(notes)
    return float(np.isin(notes % 12, MODES[mode]).mean()) if notes.size else 0.0


def _melody(rng: np.random.Generator, mode: str, length: int) -> list[int]:
    """A melody as note indices: a walk on the scale that starts and ends on the tonic.

    Steps are mostly to a neighbouring scale degree, sometimes a leap of a third
    or an arpeggio of the tonic chord (which is where major and minor differ most).
    """
    scale = MODES[mode]
    degree = int(rng.choice([0, 7]))  # scale degree, 0..14 over two octaves
    degrees = [degree]
    while len(degrees) < length - 1:
        r = rng.random()
        if r < 0.15 and degree <= 10:  # arpeggio 1-3-5 on the current degree
            degrees += [degree, degree + 2, degree + 4][1:]
            degree += 4
            continue
        step = int(rng.choice([-2, -1, -1, 1, 1, 2, 0]))
        degree = min(14, max(0, degree + step))
        degrees.append(degree)
    degrees = degrees[: length - 1]
    last = degrees[-1]
    degrees.append(min((0, 7, 14), key=lambda d: abs(d - last)))  # end on a tonic
    return [12 * (d // 7) + scale[d % 7] for d in degrees]


def _melody_split(seed: int, m: int, length: int) -> Split:
    rng = np.random.default_rng(seed)
    modes = list(MODES)
    y = rng.integers(0, len(modes), size=m)
    notes = np.array([_melody(rng, modes[c], length) for c in y]).T  # (T, m)
    return Split(
        y=y.astype(np.int64),
        Y=notes.astype(np.int64),
        mask=np.ones(notes.shape),
        inputs=[[modes[c]] for c in y],
        targets=[[note_label(k) for k in notes[:, i]] for i in range(m)],
    )


def melodies(n_train: int = 2000, n_val: int = 500, length: int = 16, seed: int = 0) -> Task:
    """One-to-many: a class in, a melody out.

    Each melody has `length` notes, each one of the 25 semitones from C4 to C6
    (index 0 = C4, 12 = C5, 24 = C6). Its class, ``major`` or ``minor``, decides
    the scale: C major (C D E F G A B) or C minor (C D Eb F G Ab Bb). The
    melodies start and end on a C.

    Returns
    -------
    Task with y : (m,) class index (0 major, 1 minor), Y : (T, m) note indices,
    mask : (T, m) ones. ``vocab`` lists the classes (the one input), ``out_vocab``
    the notes.
    """
    s_tr, s_val = _seeds(seed)
    return Task(
        name="melodies",
        kind="one-to-many",
        train=_melody_split(s_tr, n_train, length),
        val=_melody_split(s_val, n_val, length),
        vocab=list(MODES),
        out_vocab=[note_label(k) for k in range(N_NOTES)],
        seeds=(s_tr, s_val),
        description="Given a mode, write a melody of that mode.",
    )


# ---------------------------------------------------------------------------
# The language tasks, importable from here
# ---------------------------------------------------------------------------
_LANGUAGE = ("pos_tagging", "majority_baseline", "number_words", "spell_number", "TAGS", "AMBIGUOUS",
             "AMBIGUOUS_NV", "GO", "EOS")  # fmt: skip


def __getattr__(name: str):
    """``rnncourse.tasks.pos_tagging`` and friends, loaded from `rnncourse.language` on first use."""
    if name in _LANGUAGE:
        from . import language

        return getattr(language, name)
    raise AttributeError(f"module 'rnncourse.tasks' has no attribute {name!r}")
