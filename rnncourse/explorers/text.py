"""The text explorer of notebook 12: move the temperature, read what the language model writes.

`text_explorer` wraps a trained `rnncourse.text.CharLM`. Every change continues the
same prime with ``rnncourse.text.sample(model, prime, n, temperature, seed)`` and shows
the result, with how spread out the model's first choice is at that temperature: the
number of characters it effectively picks from, exp of the entropy of
softmax(o_t / temperature) after the prime. The "new sample" button moves to the next seed.

What it does not do: it draws no figure (the sample is text, shown as HTML) and it
does not train; the model is used as it is.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from ..losses import softmax
from ..text.lm import sample
from .base import Explorer, text_block, text_height

__all__ = ["TextExplorer", "text_explorer"]

LINES = 8  # height of the sample box, in lines of text


class TextExplorer(Explorer):
    """A temperature slider and a "new sample" button over a sample of generated text.

    Controls: ``sliders["temperature"]`` and the button ``new_button``. ``state`` holds
    "temperature", "seed" (the sampling seed), "prime_ids" (len(prime),) and "ids" (n,)
    the ids of the characters generated after the prime, and "choices", exp of the
    entropy of the first character's distribution at this temperature (1 when greedy).
    """

    kind = "text"

    def __init__(
        self, model: Any, prime: str = "def ", n: int = 240, temperature: float = 1.0, seed: int = 0
    ):
        super().__init__()
        import ipywidgets as w

        if not isinstance(prime, str) or not prime:
            raise ValueError(f"text_explorer: prime must be a non-empty str to start from, got {prime!r}.")
        if not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"text_explorer: n must be a positive whole number of characters, got {n!r}.")
        self.model, self.prime, self.n, self.seed = model, prime, int(n), int(seed)
        logits, _, _ = model.forward(model.vocab.encode(prime)[:, None])  # (T, V, 1)
        self._first_logits = logits[-1]  # (V, 1): the scores for the first character written
        slider = self._float_slider(
            "temperature", temperature, 0.0, 2.0, 0.1, "temperature", readout_format=".1f"
        )
        self.new_button = w.Button(description="new sample", icon="refresh")
        self.new_button.on_click(self._new_sample)
        self.info = w.HTML(layout=w.Layout(height=text_height(1), overflow="hidden"))
        self.info.add_class("rnncourse-explorer-text")
        self.text = w.HTML(layout=w.Layout(height=text_height(LINES + 1), overflow="auto", width="640px"))
        self.text.add_class("rnncourse-explorer-sample")
        self.text.add_class("rnncourse-scroll")  # it scrolls: rnncourse.access lets it take the focus
        self.widget = self._box([w.HBox([slider, self.new_button])], [self.info, self.text])
        self.update()

    def _new_sample(self, _button: Any = None) -> None:
        self.seed += 1
        self.update()

    def _compute(self) -> None:
        temperature = float(self.values()["temperature"])
        written = sample(self.model, self.prime, self.n, temperature=temperature, rng=self.seed)
        self.state = {
            "temperature": temperature,
            "seed": self.seed,
            "prime_ids": self.model.vocab.encode(self.prime),  # (len(prime),)
            "ids": self.model.vocab.encode(written[len(self.prime) :]),  # (n,)
            "choices": _effective_choices(self._first_logits[:, 0], temperature),
        }

    def _text(self) -> str:
        return self.model.vocab.decode(self.state["ids"])

    def _draw(self) -> None:
        s = self.state
        self.info.value = text_block(
            [
                f"temperature {s['temperature']:.1f}, sample {s['seed']}: the first character is drawn from "
                f"about {s['choices']:.1f} characters"
            ]
        )
        self.text.value = (
            '<pre style="margin:0; font-size:12px; line-height:1.35; white-space:pre-wrap">'
            f"<b>{html.escape(self.prime)}</b>{html.escape(self._text())}</pre>"
        )

    def summary(self) -> str:
        s = self.state
        return f"temperature {s['temperature']:.1f}, sample {s['seed']}: {self.prime + self._text()[:60]!r}"


def _effective_choices(logits: np.ndarray, temperature: float) -> float:
    """exp(entropy) of softmax(logits / temperature): 1 for one sure character, V for a uniform draw."""
    if temperature == 0:
        return 1.0
    p = softmax(logits[:, None] / temperature)[:, 0]  # (V,)
    p = p[p > 0]
    return float(np.exp(-(p * np.log(p)).sum()))


def text_explorer(
    model: Any, prime: str = "def ", n: int = 240, temperature: float = 1.0, seed: int = 0
) -> TextExplorer:
    """A widget to sample from a character language model: a temperature slider, a "new sample" button.

    Parameters
    ----------
    model : a trained `rnncourse.text.CharLM`
    prime : the text the model continues; it sets the state first
    n : characters written per sample
    temperature : initial slider value (0 = always the most likely character)
    seed : initial sampling seed; the button moves to the next seed

    Returns
    -------
    TextExplorer (CSS classes ``rnncourse-explorer rnncourse-explorer-text``):
    ``ex.sliders["temperature"].value = 1.5`` writes a new sample into ``ex.state["ids"]``.
    """
    return TextExplorer(model, prime=prime, n=n, temperature=temperature, seed=seed)
