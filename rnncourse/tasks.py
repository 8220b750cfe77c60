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
as plain text.

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

__all__ = [
    "Split",
    "Task",
    "one_hot",
    "pad_tokens",
    "brackets",
    "is_well_formed",
    "pos_tagging",
    "majority_baseline",
    "number_words",
    "spell_number",
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
# Many-to-many: a toy part-of-speech tagger
# ---------------------------------------------------------------------------
TAGS = ["DET", "NOUN", "VERB", "MODAL", "ADJ", "PREP", "PRON"]

_DETS = ["the", "a", "my"]
_PRONS = ["they", "we", "you"]
_ADJS = ["big", "little", "small", "red"]
_PREPS = ["near", "with", "under"]
_NOUNS = ["dog", "cat", "girl", "boy", "pond", "boat"]
_VERBS = ["see", "like", "eat", "want"]
#: Words that are a noun in one place and a verb in another ("the duck" / "they duck").
AMBIGUOUS_NV = ["duck", "fish", "watch", "saw"]
#: "can" is a noun after a determiner ("the can") and a modal verb after a subject.
AMBIGUOUS = AMBIGUOUS_NV + ["can"]


def _noun(rng: np.random.Generator) -> str:
    # Ambiguous words are frequent on purpose, so that a lookup table is not enough.
    pool = AMBIGUOUS_NV + ["can"] if rng.random() < 0.45 else _NOUNS
    return str(rng.choice(pool))


def _verb(rng: np.random.Generator) -> str:
    pool = AMBIGUOUS_NV if rng.random() < 0.5 else _VERBS
    return str(rng.choice(pool))


def _noun_phrase(rng: np.random.Generator, allow_pp: bool) -> list[tuple[str, str]]:
    np_ = [(str(rng.choice(_DETS)), "DET")]
    if rng.random() < 0.35:
        np_.append((str(rng.choice(_ADJS)), "ADJ"))
    np_.append((_noun(rng), "NOUN"))
    if allow_pp and rng.random() < 0.3:
        np_.append((str(rng.choice(_PREPS)), "PREP"))
        np_.extend(_noun_phrase(rng, allow_pp=False))
    return np_


def _sentence(rng: np.random.Generator) -> list[tuple[str, str]]:
    """S -> PRON (MODAL) V (NP) | NP MODAL V (NP), with NP -> DET (ADJ) N (PP).

    Verbs are in their base form, so a singular noun subject takes the modal
    ("the duck can fish") and a pronoun may go without ("they fish").
    Every tag is fixed by the word and the words before it, so a network that
    reads left to right can tag perfectly, but a per-word lookup cannot.
    """
    if rng.random() < 0.3:
        s = [(str(rng.choice(_PRONS)), "PRON")]
        if rng.random() < 0.4:
            s.append(("can", "MODAL"))
    else:
        s = _noun_phrase(rng, allow_pp=True) + [("can", "MODAL")]
    s.append((_verb(rng), "VERB"))
    if rng.random() < 0.75:
        s.extend(_noun_phrase(rng, allow_pp=True))
    return s


def _pos_split(seed: int, m: int, vocab: list[str], exclude: Split | None = None) -> Split:
    rng = np.random.default_rng(seed)
    seen = {" ".join(s) for s in exclude.inputs} if exclude is not None else set()
    sents: list[list[tuple[str, str]]] = []
    while len(sents) < m:
        s = _sentence(rng)
        if " ".join(w for w, _ in s) not in seen:
            sents.append(s)
    words = [[w for w, _ in s] for s in sents]
    tags = [[t for _, t in s] for s in sents]
    idx, lengths = pad_tokens(words, vocab)
    Y, _ = pad_tokens(tags, TAGS)
    return Split(
        X=one_hot(idx, len(vocab)),
        lengths=lengths,
        Y=Y,
        mask=(Y >= 0).astype(np.float64),
        inputs=words,
        targets=tags,
    )


def pos_tagging(n_train: int = 3000, n_val: int = 1000, seed: int = 0) -> Task:
    """Many-to-many with equal lengths: tag each word of a toy sentence.

    Sentences come from a small grammar, e.g. ``the duck can fish``,
    ``they saw the big watch near a pond``. The words duck, fish, watch, saw and
    can are ambiguous: ``the duck`` is a NOUN, ``they duck`` a VERB, ``the can`` a
    NOUN, ``the duck can fish`` a MODAL. The words before each word decide its tag.
    The validation split (another seed) holds no sentence of the training split.

    Returns
    -------
    Task with X : (T, n_words, m) one-hot, lengths : (m,), Y : (T, m) tag indices
    (-1 at padding), mask : (T, m); ``out_vocab`` lists the tags.
    """
    vocab = sorted(set(_DETS + _PRONS + _ADJS + _PREPS + _NOUNS + _VERBS + AMBIGUOUS))
    s_tr, s_val = _seeds(seed)
    train = _pos_split(s_tr, n_train, vocab)
    return Task(
        name="pos_tagging",
        kind="many-to-many",
        train=train,
        val=_pos_split(s_val, n_val, vocab, exclude=train),
        vocab=vocab,
        out_vocab=list(TAGS),
        seeds=(s_tr, s_val),
        description="Tag every word with its part of speech; some words have two possible tags.",
    )


def majority_baseline(train: Split, val: Split, n_words: int) -> np.ndarray:
    """Tag every validation word with the tag it had most often in training.

    Parameters
    ----------
    train, val : splits of `pos_tagging`
    n_words : size of the word vocabulary

    Returns
    -------
    pred : (T, m) the baseline's tag index at every step of `val` (-1 at padding)
    """
    words_tr = train.X.argmax(axis=1)  # (T, m)
    counts = np.zeros((n_words, int(train.Y.max()) + 1), dtype=np.int64)
    real = train.mask > 0
    np.add.at(counts, (words_tr[real], train.Y[real]), 1)
    best = counts.argmax(axis=1)  # (n_words,)
    words_val = val.X.argmax(axis=1)  # (T, m)
    return np.where(val.mask > 0, best[words_val], -1)


# ---------------------------------------------------------------------------
# Encoder-decoder: numbers in digits -> numbers in words
# ---------------------------------------------------------------------------
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
GO, EOS = "<go>", "<eos>"


def spell_number(n: int) -> list[str]:
    """English words for 0 <= n <= 999, e.g. 345 -> ['three', 'hundred', 'forty', 'five']."""
    if not 0 <= n <= 999:
        raise ValueError(f"spell_number: n must lie in 0..999, got {n}.")
    if n < 20:
        return [_ONES[n]]
    words: list[str] = []
    h, r = divmod(n, 100)
    if h:
        words += [_ONES[h], "hundred"]
    if r >= 20:
        words.append(_TENS[r // 10])
        if r % 10:
            words.append(_ONES[r % 10])
    elif r:
        words.append(_ONES[r])
    return words


def _number_split(numbers: np.ndarray, out_vocab: list[str]) -> Split:
    digits = [list(str(int(n))) for n in numbers]
    words = [spell_number(int(n)) for n in numbers]
    idx, lengths = pad_tokens(digits, [str(d) for d in range(10)])
    Y, _ = pad_tokens([w + [EOS] for w in words], out_vocab)
    return Split(
        X=one_hot(idx, 10),
        lengths=lengths,
        Y=Y,
        mask=(Y >= 0).astype(np.float64),
        inputs=digits,
        targets=words,
    )


def _draw_numbers(rng: np.random.Generator, pool: np.ndarray, size: int) -> np.ndarray:
    """Draw from `pool` so that 1-, 2- and 3-digit numbers make 10%, 30% and 60% of the draws."""
    n_digits = np.array([len(str(int(n))) for n in pool])
    share = {1: 0.1, 2: 0.3, 3: 0.6}
    w = np.array([share[d] / np.sum(n_digits == d) for d in n_digits])
    return rng.choice(pool, size=size, p=w / w.sum())


def number_words(n_train: int = 3000, n_val: int = 500, held_out: float = 0.2, seed: int = 0) -> Task:
    """Encoder-decoder: a number written in digits -> the same number in words.

    ``3 4 5`` (3 steps) -> ``three hundred forty five <eos>`` (5 steps); ``1 2``
    -> ``twelve <eos>`` (2 steps). Input and output lengths differ, and differ
    between the sequences of one batch.

    A share `held_out` of the three-digit numbers (chosen with `seed`) never
    appears in training; the validation split is drawn from those numbers only, so
    a good validation score means the model has learnt the rule, not a list. The
    numbers 0..99 are all in training (1-, 2- and 3-digit numbers make 10%, 30%
    and 60% of it).

    Returns
    -------
    Task with X : (T_in, 10, m) one-hot digits, lengths : (m,), Y : (T_out, m) word
    indices ending with ``<eos>`` (-1 at padding), mask : (T_out, m). ``out_vocab``
    starts with ``<go>`` (fed to the decoder at its first step, never a target)
    and ``<eos>`` (the decoder's "I am done").
    """
    out_vocab = [GO, EOS] + _ONES + _TENS[2:] + ["hundred"]
    s_tr, s_val = _seeds(seed)
    # Numbers below 100 are too few to hold some back: training sees them all.
    order = 100 + np.random.default_rng(seed).permutation(900)
    n_held = int(round(held_out * 900))
    val_pool, train_pool = order[:n_held], np.concatenate([np.arange(100), order[n_held:]])
    train_numbers = _draw_numbers(np.random.default_rng(s_tr), train_pool, n_train)
    val_numbers = _draw_numbers(np.random.default_rng(s_val), val_pool, n_val)
    return Task(
        name="number_words",
        kind="encoder-decoder",
        train=_number_split(train_numbers, out_vocab),
        val=_number_split(val_numbers, out_vocab),
        vocab=[str(d) for d in range(10)],
        out_vocab=out_vocab,
        seeds=(s_tr, s_val),
        description="Write a number of one to three digits in words.",
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
