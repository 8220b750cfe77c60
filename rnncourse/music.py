"""Melodies to see and hear: piano rolls and audio made with NumPy.

A melody is a sequence of note indices 0..24, the semitones from C4 (index 0,
MIDI note 60) to C6 (index 24), as made by `rnncourse.tasks.melodies` and
`rnncourse.models.OneToMany.generate`; every note lasts the same time.

- `piano_roll` draws one melody: time to the right, pitch upwards, the notes of
  the requested mode as shaded rows, notes outside the mode in another colour;
- `synthesize` turns a melody into a waveform (a few harmonics with a decaying
  envelope, 8000 samples per second), `wav_bytes` into a WAV file in memory,
  and `audio` into a player for the notebook (``IPython.display.Audio``).

The widget that generates, draws and plays melodies is
`rnncourse.explorers.melody_explorer`.

Importing this module loads NumPy only; matplotlib and IPython are imported
inside the functions that need them.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from typing import Any

import numpy as np

from .palette import GRID, OKABE_ITO, ROLES
from .tasks import LOWEST_NOTE, MODES, N_NOTES, in_mode_share, note_label

__all__ = [
    "midi_to_hz",
    "synthesize",
    "wav_bytes",
    "audio",
    "piano_roll",
    "RATE",
]

#: Samples per second of the synthesized audio: enough for notes up to C6 and
#: their first harmonics, small enough to keep a notebook light.
RATE = 8000

_IN_MODE = OKABE_ITO["green"]  # a note of the requested mode
_OUT_OF_MODE = OKABE_ITO["vermillion"]  # a note outside it, also hatched: colour is not the only cue
_OUT_HATCH = "////"
_SCALE_ROW = ROLES["hidden"][0]  # light green band: a pitch that belongs to the mode


def midi_to_hz(midi: np.ndarray | float) -> np.ndarray:
    """Frequency in hertz of a MIDI note number (69 is A4 = 440 Hz, 12 notes per octave)."""
    return 440.0 * 2.0 ** ((np.asarray(midi, dtype=np.float64) - 69.0) / 12.0)


def synthesize(
    notes: Sequence[int] | np.ndarray,
    note_seconds: float = 0.25,
    rate: int = RATE,
    lowest: int = LOWEST_NOTE,
) -> np.ndarray:
    """A melody as sound: one tone per note, one after the other.

    Each tone is a sine at the note's pitch plus two quieter harmonics, shaped by
    a 10 ms attack and an exponential decay, so consecutive equal notes are heard
    as separate notes.

    Parameters
    ----------
    notes : (T,) note indices; index k is MIDI note ``lowest + k``
    note_seconds : duration of each note
    rate : samples per second
    lowest : MIDI number of note index 0 (60 = C4)

    Returns
    -------
    (T * round(note_seconds * rate),) float64 samples in [-1, 1]
    """
    notes = np.asarray(notes, dtype=np.int64).ravel()
    n = int(round(note_seconds * rate))
    t = np.arange(n) / rate  # (n,) seconds since the note started
    attack = np.minimum(1.0, t / 0.01)
    envelope = attack * np.exp(-3.0 * t / note_seconds)  # (n,)
    f = midi_to_hz(lowest + notes)[:, None]  # (T, 1)
    phase = 2 * np.pi * f * t[None, :]  # (T, n)
    tone = np.sin(phase) + 0.4 * np.sin(2 * phase) + 0.15 * np.sin(3 * phase)  # (T, n)
    samples = (tone * envelope).ravel()  # (T * n,)
    peak = np.abs(samples).max(initial=0.0)
    return samples / peak * 0.9 if peak > 0 else samples


def wav_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    """Samples in [-1, 1] -> a mono 16-bit WAV file, as bytes."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def audio(notes: Sequence[int] | np.ndarray, note_seconds: float = 0.25, rate: int = RATE) -> Any:
    """A player for the notebook: ``IPython.display.Audio`` of `synthesize(notes)`.

    The WAV is embedded in the notebook (about 16 kB per second at 8000 Hz).
    """
    from IPython.display import Audio

    return Audio(data=wav_bytes(synthesize(notes, note_seconds, rate), rate))


def piano_roll(
    notes: Sequence[int] | np.ndarray,
    mode: str | None = None,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Draw a melody as a piano roll: one bar per note, time to the right, pitch upwards.

    Parameters
    ----------
    notes : (T,) note indices 0..24 (C4..C6)
    mode : "major" or "minor": shade the rows of that mode's scale and draw the
        notes outside it in vermillion, hatched; None draws every note in one colour
    ax : matplotlib Axes to draw into; a new figure is made when None
    title : title of the Axes; by default the mode and the share of notes in it

    Returns
    -------
    the matplotlib Figure
    """
    notes = np.asarray(notes, dtype=np.int64).ravel()
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6.4, 2.9))
    fig = ax.figure
    T = len(notes)
    scale = MODES[mode] if mode is not None else None
    for k in range(N_NOTES):
        if scale is not None and k % 12 in scale:
            ax.axhspan(k - 0.5, k + 0.5, color=_SCALE_ROW, zorder=0, lw=0)
    for t, k in enumerate(notes):
        ok = scale is None or k % 12 in scale
        ax.add_patch(_rectangle((t + 0.05, k - 0.4), 0.9, 0.8, ok))
    ax.set_xlim(0, max(T, 1))
    ax.set_ylim(-0.5, N_NOTES - 0.5)
    ticks = [k for k in range(N_NOTES) if k % 12 in (0, 4, 7)]
    ax.set_yticks(ticks, [note_label(k) for k in ticks])
    ax.set_xticks(range(0, T + 1, 4))
    ax.set_xlabel("time step t")
    ax.set_ylabel("pitch")
    if title is None and mode is not None:
        title = f"{mode}: {in_mode_share(notes, mode):.0%} of the notes in the mode"
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(axis="x", color=GRID, lw=0.6)
    ax.set_axisbelow(True)
    return fig


def _rectangle(xy: tuple[float, float], w: float, h: float, in_mode: bool) -> Any:
    """One note's bar: green in the mode, hatched vermillion outside it."""
    from matplotlib.patches import Rectangle

    if in_mode:
        return Rectangle(xy, w, h, facecolor=_IN_MODE, edgecolor="white", lw=0.5, zorder=2)
    return Rectangle(xy, w, h, facecolor=_OUT_OF_MODE, edgecolor="white", hatch=_OUT_HATCH, lw=0.5, zorder=2)
