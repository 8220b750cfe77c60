"""Tests of rnncourse.music: the sound has the right pitch, the piano roll the right notes.

The melody explorer is tested with the other explorers, in test_explorers.py."""

from __future__ import annotations

import io
import subprocess
import sys
import wave

import numpy as np
import pytest

from rnncourse import music, tasks


def test_import_is_light():
    code = (
        "import sys, rnncourse.music; "
        "print([m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"importing rnncourse.music loaded {out.strip()}"


def test_midi_to_hz():
    np.testing.assert_allclose(music.midi_to_hz([69, 81, 60]), [440.0, 880.0, 261.6256], rtol=1e-6)


@pytest.mark.parametrize("note", [0, 9, 24])
def test_synthesized_note_has_its_pitch(note):
    samples = music.synthesize([note], note_seconds=0.5, rate=8000)
    assert samples.shape == (4000,)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    peak_hz = np.fft.rfftfreq(samples.size, 1 / 8000)[spectrum.argmax()]
    want = music.midi_to_hz(tasks.LOWEST_NOTE + note)
    assert abs(peak_hz - want) < 3.0, f"note {note}: loudest at {peak_hz:.1f} Hz, expected {want:.1f} Hz"


def test_synthesize_length_range_and_separate_notes():
    samples = music.synthesize([0, 0, 7], note_seconds=0.25, rate=8000)
    assert samples.shape == (3 * 2000,)
    assert np.abs(samples).max() == pytest.approx(0.9)
    # Each note starts from silence, so two equal notes are heard as two.
    assert abs(samples[2000]) < 0.05 and np.abs(samples[2000:2100]).max() > 0.2


def test_wav_bytes_is_a_small_mono_16_bit_file():
    data = music.wav_bytes(music.synthesize(list(range(16))))
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, music.RATE)
        assert w.getnframes() == 16 * 2000
    assert data[:4] == b"RIFF" and len(data) < 70_000


def test_audio_player():
    player = music.audio([0, 4, 7, 12])
    assert "audio" in player._repr_html_()


def test_piano_roll_draws_one_bar_per_note_coloured_by_mode():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    notes = np.array([0, 4, 3, 7, 12])  # E (4) is major, Eb (3) is minor
    fig = music.piano_roll(notes, mode="major")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_zorder() == 2]
    assert len(bars) == 5
    assert [round(b.get_y() + 0.4) for b in bars] == notes.tolist()
    colours = [matplotlib.colors.to_hex(b.get_facecolor()) for b in bars]
    assert colours[2] != colours[1] and colours.count(colours[0]) == 4, "the Eb must stand out in major"
    assert "80%" in ax.get_title()
    plt.close(fig)
