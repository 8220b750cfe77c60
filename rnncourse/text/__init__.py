"""A character-level language model over the course's own source code (notebook 12).

One module per job:

- `corpus`: the text, read at run time from the installed package's ``.py`` files,
  and its split into a training part and a held-out part
- `vocab`: characters <-> integer ids, with an ``<unk>`` id for unseen characters
- `embedding`: the learned embedding E (n_e, V), x_t = E[:, ids_t], and its backward
- `lm`: the model (embedding -> RNN, LSTM or GRU -> output layer) and `sample`
- `tbptt`: the text as m parallel streams, chunks of k steps, truncated BPTT
- `train`: `fit` (Adam, clipping by the global norm, learning curves) and `perplexity`
- `ngram`: unigram, bigram and trigram baselines with add-one smoothing
- `probe`: the probability of every next character, and of closing brackets by distance

Like the numeric core, these modules import NumPy only.
"""

from .corpus import source_corpus, split_text
from .lm import CharLM, sample
from .ngram import baselines, ngram_perplexity
from .train import fit, perplexity
from .vocab import Vocab

__all__ = [
    "source_corpus", "split_text", "Vocab", "CharLM", "sample", "fit", "perplexity",
    "ngram_perplexity", "baselines",
]  # fmt: skip
