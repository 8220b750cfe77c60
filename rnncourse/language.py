"""The two language tasks of `rnncourse.tasks`: part-of-speech tags and numbers in words.

`pos_tagging` (many-to-many, equal lengths: notebook 08) tags every word of a toy
sentence, with words that are a noun in one place and a verb in another;
`number_words` (encoder-decoder: notebook 07) turns ``3 4 5`` into ``three hundred
forty five``. Both return a `rnncourse.tasks.Task`, and both are importable from
`rnncourse.tasks` as well.
"""

from __future__ import annotations

import numpy as np

from .tasks import Split, Task, _seeds, one_hot, pad_tokens

__all__ = [
    "TAGS",
    "AMBIGUOUS",
    "AMBIGUOUS_NV",
    "pos_tagging",
    "majority_baseline",
    "GO",
    "EOS",
    "spell_number",
    "number_words",
]


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
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
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
