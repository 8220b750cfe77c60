"""The melody explorer of notebook 09: pick a mode and a temperature, hear what the model writes.

`melody_explorer` wraps a trained `rnncourse.models.OneToMany` whose classes are the
modes. Every change generates a melody with ``model.generate([class], length,
temperature, seed)``, draws its piano roll (`rnncourse.music.piano_roll`) on the
explorer's persistent figure, says which notes it has and how many are in the mode,
and loads it into an audio player. The "new melody" button moves to the next seed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..music import piano_roll, synthesize, wav_bytes
from ..tasks import MODES, N_NOTES, in_mode_share, note_label
from .base import Explorer, text_block, text_height

__all__ = ["MelodyExplorer", "melody_explorer"]


class MelodyExplorer(Explorer):
    """A mode chooser, a temperature slider and a "new melody" button over a piano roll.

    Controls: ``sliders["mode"]`` (a chooser), ``sliders["temperature"]`` and the button
    ``new_button``. ``state`` holds "mode", "temperature", "seed" (the sampling seed),
    "notes" (length,) the note indices 0..24 generated, and "share", the fraction of them
    in the mode. ``player`` is the ``ipywidgets.Audio`` with the melody as WAV bytes.
    """

    kind = "melody"
    figure_alt = "A piano roll of the sampled melody: each note a bar, pitch against time."

    def __init__(
        self,
        model: Any,
        modes: Sequence[str] = tuple(MODES),
        length: int = 16,
        temperature: float = 1.0,
        seed: int = 0,
    ):
        super().__init__()
        import ipywidgets as w

        self.model, self.modes, self.length, self.seed = model, list(modes), int(length), int(seed)
        if not self.modes:
            raise ValueError("melody_explorer: modes must name at least one class of the model, got none.")
        mode = self._chooser("mode", self.modes, self.modes[0], "mode")
        slider = self._float_slider(
            "temperature", temperature, 0.0, 3.0, 0.1, "temperature", readout_format=".1f"
        )
        self.new_button = w.Button(description="new melody", icon="refresh")
        self.new_button.on_click(self._new_melody)
        self.text = w.HTML(layout=w.Layout(height=text_height(2), overflow="hidden"))
        self.text.add_class("rnncourse-explorer-text")
        self.player = w.Audio(format="wav", autoplay=False, loop=False)
        self._make_figure(figsize=(5.6, 2.7))
        self._ax = self.figure.add_subplot()
        self.figure.subplots_adjust(left=0.12, right=0.98, top=0.88, bottom=0.18)
        self.widget = self._box(
            [w.HBox([mode]), w.HBox([slider, self.new_button])], [self.image, self.text, self.player]
        )
        self.update()

    def _new_melody(self, _button: Any = None) -> None:
        self.seed += 1
        self.update()

    def _compute(self) -> None:
        v = self.values()
        c = self.modes.index(v["mode"])
        notes = self.model.generate(
            [c], length=self.length, temperature=float(v["temperature"]), seed=self.seed
        )  # (length, 1)
        notes = np.asarray(notes)[:, 0]  # (length,)
        self.state = {
            "mode": v["mode"],
            "temperature": float(v["temperature"]),
            "seed": self.seed,
            "notes": notes,
            "share": float(in_mode_share(notes, v["mode"])),
        }

    def _draw(self) -> None:
        s = self.state
        self._ax.clear()  # a piano roll has one bar per note: redrawn whole, it is still fast
        piano_roll(s["notes"], mode=s["mode"], ax=self._ax)
        self._style_text()
        self.invalidate()
        names = " ".join(note_label(int(k)) for k in s["notes"])
        self.text.value = text_block(
            [
                f"<b>{html.escape(s['mode'])}</b>, temperature {s['temperature']:.1f}, sample {s['seed']}: "
                f"<code>{names}</code>",
                f"{s['share']:.0%} of the notes belong to the {html.escape(s['mode'])} scale "
                f"(random notes: {_random_share(s['mode']):.0%}).",
            ]
        )
        self.player.value = wav_bytes(synthesize(s["notes"]))

    def summary(self) -> str:
        s = self.state
        names = " ".join(note_label(int(k)) for k in s["notes"])
        return (
            f"{s['mode']}, temperature {s['temperature']:.1f}, sample {s['seed']}: {names} "
            f"({s['share']:.0%} in the mode)"
        )


def _random_share(mode: str) -> float:
    """Share of the N_NOTES pitches that belong to `mode`: what uniformly random notes would score."""
    return sum(k % 12 in MODES[mode] for k in range(N_NOTES)) / N_NOTES


def melody_explorer(
    model: Any,
    modes: Sequence[str] = tuple(MODES),
    length: int = 16,
    temperature: float = 1.0,
    seed: int = 0,
) -> MelodyExplorer:
    """A widget to generate melodies: a mode, a temperature slider, a "new melody" button.

    Parameters
    ----------
    model : a trained `rnncourse.models.OneToMany` whose classes are `modes`, in order
    modes : the class names
    length : notes per melody
    temperature : initial slider value (0 = always the most likely note)
    seed : initial sampling seed; the button moves to the next seed

    Returns
    -------
    MelodyExplorer (CSS classes ``rnncourse-explorer rnncourse-explorer-melody``):
    ``ex.sliders["temperature"].value = 1.5`` generates a new melody into ``ex.state["notes"]``.
    """
    return MelodyExplorer(model, modes=modes, length=length, temperature=temperature, seed=seed)
