"""The film's sound: a scratch read of the dialogue by a text-to-speech engine, mixed to one 48 kHz track.

Every film has an audio track; without a scratch read it is silence (the
encoders make it). With one, each cue is spoken by ``espeak-ng`` (a Debian
package, run as a subprocess that writes WAV to stdout) in a voice of its own:

- a character's voice (variant, pitch, speed) is chosen from its name by a
  hash, so it is the same in every build and every film of the production;
  voices that are not characters (an intercom, a radio) get one of espeak-ng's
  Klatt voices, which sound synthetic on purpose; ``voices`` overrides any of them;
- a line starts at its cue's start. It may run past its cue's end (a pause
  after a line is normal) but never into the next line of the same voice or
  past the film's end: then it is spoken faster (up to ``MAX_SPEEDUP``) and, if
  that is still too long, cut with a short fade;
- each line is brought to the same peak level, and where lines overlap (dual
  dialogue) each is lowered by the most lines it ever overlaps with, so the sum
  never clips and a line alone keeps its level.

Synthesized lines are cached as 48 kHz WAV files in a folder the caller gives,
named by a hash of the text, the voice and the engine's version: an unchanged
line is never synthesized twice. Cache files are written atomically.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import struct
import subprocess
import wave
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import av
import numpy as np

from production_assets.errors import ExportError
from production_assets.export.dialogue import DialogueCue, in_film_order
from production_assets.export.video import AUDIO_SAMPLE_RATE
from production_assets.media.speech import tts_engine
from production_assets.storage.atomic import write_bytes_atomic

CHARACTER_VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4")
OTHER_VOICE_VARIANTS = ("klatt", "klatt2", "klatt3")
PITCH_RANGE = (30, 70)
SPEED_RANGE = (150, 180)
MAX_SPEEDUP = 1.6
LINE_PEAK = 0.7
FADE_SECONDS = 0.01
ENGINE_TIMEOUT_SECONDS = 60


class ScratchAudioUnavailableError(ExportError):
    """``scratch_audio`` was asked for but no text-to-speech engine is installed."""

    def __init__(self) -> None:
        super().__init__(
            "scratch_audio: true needs the espeak-ng text-to-speech engine, which is not installed (not on PATH)",
            suggestion="install it (Debian/Ubuntu: apt-get install espeak-ng; macOS: brew install espeak-ng) "
            "or set scratch_audio: false",
        )


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice: language, variant (``m3``, ``f2``, ``klatt``), pitch 0-99, speed in words per minute."""

    variant: str
    pitch: int
    speed: int
    language: str = "en"

    def arguments(self) -> list[str]:
        return ["-v", f"{self.language}+{self.variant}", "-p", str(self.pitch), "-s", str(self.speed)]


def voice_for(name: str, character: bool = True) -> Voice:
    """The voice of ``name``, the same every time: a character's from the human variants, any other from Klatt's."""
    digest = hashlib.sha256(name.strip().lower().encode()).digest()
    variants = CHARACTER_VARIANTS if character else OTHER_VOICE_VARIANTS
    pitch = PITCH_RANGE[0] + digest[1] % (PITCH_RANGE[1] - PITCH_RANGE[0] + 1)
    speed = SPEED_RANGE[0] + digest[2] % (SPEED_RANGE[1] - SPEED_RANGE[0] + 1)
    return Voice(variants[digest[0] % len(variants)], pitch, speed)


def cue_voice(cue: DialogueCue, voices: Mapping[str, Voice] | None = None) -> Voice:
    """The voice that speaks ``cue``: ``voices[character or speaker]`` when given, else :func:`voice_for`."""
    return (voices or {}).get(cue.voice_name) or voice_for(cue.voice_name, character=cue.character is not None)


@functools.lru_cache(maxsize=4)
def engine_version(engine: str) -> str:
    """The engine's version line (part of every cache key: a new engine reads the lines again)."""
    result = subprocess.run([engine, "--version"], capture_output=True, text=True, timeout=ENGINE_TIMEOUT_SECONDS)
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else Path(engine).name


def _wav_samples(data: bytes) -> tuple[np.ndarray, int]:
    """Mono 16-bit samples and the rate of a WAV that may come from a pipe (its size fields then lie)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ExportError("the text-to-speech engine did not write a WAV file")
    position, rate, channels = 12, 0, 1
    while position + 8 <= len(data):
        kind, size = data[position : position + 4], struct.unpack("<I", data[position + 4 : position + 8])[0]
        body = position + 8
        if kind == b"fmt ":
            channels, rate = struct.unpack("<HI", data[body + 2 : body + 8])
        elif kind == b"data":
            end = min(len(data), body + size)
            end -= (end - body) % (2 * channels)
            samples = np.frombuffer(data[body:end], dtype="<i2").reshape(-1, channels)[:, 0]
            return samples, rate
        position = body + size + size % 2
    raise ExportError("the text-to-speech engine wrote a WAV file without samples")


def _resampled(samples: np.ndarray, rate: int) -> np.ndarray:
    """16-bit mono samples at ``rate`` as float32 at 48 kHz (libswresample, through PyAV)."""
    if rate == AUDIO_SAMPLE_RATE or len(samples) == 0:
        return samples.astype(np.float32) / 32768
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.int16)[None], format="s16", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_SAMPLE_RATE)
    parts = [out.to_ndarray().reshape(-1) for out in [*resampler.resample(frame), *resampler.resample(None)]]
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def _wav_bytes(signal: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(AUDIO_SAMPLE_RATE)
        handle.writeframes((np.clip(signal, -1, 1) * 32767).round().astype("<i2").tobytes())
    return buffer.getvalue()


def _speak(text: str, voice: Voice, engine: str) -> np.ndarray:
    command = [engine, *voice.arguments(), "-b", "1", "--stdout"]
    try:
        result = subprocess.run(command, input=text.encode(), capture_output=True, timeout=ENGINE_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ExportError(f"the text-to-speech engine {engine} failed on {text!r}: {error}") from None
    if result.returncode != 0:
        tail = result.stderr.decode(errors="replace").strip()[-300:]
        raise ExportError(f"the text-to-speech engine {engine} failed on {text!r} (exit {result.returncode}): {tail}")
    return _resampled(*_wav_samples(result.stdout))


def synthesize(text: str, voice: Voice, cache_dir: Path | None = None, engine: str | None = None) -> np.ndarray:
    """``text`` spoken in ``voice``: float32 mono at 48 kHz, from ``cache_dir`` when it was spoken before."""
    engine = engine or tts_engine()
    if engine is None:
        raise ScratchAudioUnavailableError()
    key = json.dumps({"text": text, "voice": asdict(voice), "engine": engine_version(engine)}, sort_keys=True)
    cached = Path(cache_dir) / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.wav" if cache_dir else None
    if cached is None or not cached.is_file():
        data = _wav_bytes(_speak(text, voice, engine))
        if cached is not None:
            write_bytes_atomic(cached, data)
    else:
        data = cached.read_bytes()
    samples, _ = _wav_samples(data)
    return samples.astype(np.float32) / 32768


def _faded_to(signal: np.ndarray, length: int) -> np.ndarray:
    cut = signal[:length].copy()
    fade = min(len(cut), round(FADE_SECONDS * AUDIO_SAMPLE_RATE))
    if fade:
        cut[-fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
    return cut


def _spoken_within(text: str, voice: Voice, room: int, cache_dir: Path | None, engine: str) -> np.ndarray:
    """The line in at most ``room`` samples: as is, else faster, else cut."""
    speech = synthesize(text, voice, cache_dir, engine)
    if len(speech) > room > 0:
        speed = min(math.ceil(voice.speed * MAX_SPEEDUP), math.ceil(voice.speed * len(speech) / room * 1.05))
        speech = synthesize(text, replace(voice, speed=speed), cache_dir, engine)
    return _faded_to(speech, room) if len(speech) > room else speech


def _at_peak(speech: np.ndarray) -> np.ndarray:
    peak = float(np.abs(speech).max(initial=0))
    return speech * (LINE_PEAK / peak) if peak > 0 else speech


def dialogue_track(
    cues: Sequence[DialogueCue],
    duration_seconds: float,
    voices: Mapping[str, Voice] | None = None,
    cache_dir: Path | None = None,
    engine: str | None = None,
) -> np.ndarray:
    """The scratch read of ``cues``: float32 mono at 48 kHz, ``round(duration_seconds * 48000)`` samples.

    ``voices`` maps a character (or, for other voices, a speaker) to a
    :class:`Voice`; the others are chosen by :func:`voice_for`. ``cache_dir``
    keeps synthesized lines between builds. Raises
    :class:`ScratchAudioUnavailableError` when no engine is installed.
    """
    engine = engine or tts_engine()
    if engine is None:
        raise ScratchAudioUnavailableError()
    length = round(duration_seconds * AUDIO_SAMPLE_RATE)
    ordered = [cue for cue in in_film_order(cues) if round(cue.start * AUDIO_SAMPLE_RATE) < length]
    placed: list[tuple[int, np.ndarray]] = []
    for number, cue in enumerate(ordered):
        start = round(cue.start * AUDIO_SAMPLE_RATE)
        same_voice = [
            round(other.start * AUDIO_SAMPLE_RATE)
            for other in ordered[number + 1 :]
            if other.voice_name == cue.voice_name
        ]
        room = min([length, *(sample for sample in same_voice if sample > start)]) - start
        speech = _spoken_within(cue.text, cue_voice(cue, voices), room, cache_dir, engine)
        placed.append((start, _at_peak(speech)))
    coverage = np.zeros(length + 1, dtype=np.int32)
    for start, speech in placed:
        coverage[start] += 1
        coverage[start + len(speech)] -= 1
    coverage = np.cumsum(coverage)[:length]
    track = np.zeros(length, dtype=np.float32)
    for start, speech in placed:
        overlap = int(coverage[start : start + len(speech)].max(initial=1))
        track[start : start + len(speech)] += speech / overlap
    return np.clip(track, -1, 1)
