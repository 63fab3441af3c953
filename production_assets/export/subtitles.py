"""Subtitles from dialogue cues: SubRip (.srt) and WebVTT (.vtt) text, and the timed pieces both are made of.

A cue's words are wrapped into lines that fit (about 42 characters, at most two
lines on screen); a line too long for one subtitle becomes several consecutive
subtitles, its time shared out by words. Times are whole milliseconds, rounded
from the cue's seconds. Every cue is included; off-screen voices are in italics
when ``mark_off_screen``; speaker names are optional (``JO: ...`` in SubRip,
a ``<v Jo>`` voice span in WebVTT).

Overlapping cues (dual dialogue) stay separate subtitles with their own times:
WebVTT shows simultaneous cues stacked by definition, and SubRip players built
on libass (mpv, VLC, FFmpeg's ``subtitles`` filter) stack overlapping events the
same way. Both files list subtitles by start time.

SubRip has no escaping, so its text is only kept free of blank lines (cue text
is one line of words); WebVTT escapes ``&``, ``<`` and ``>``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from production_assets.export.dialogue import DialogueCue, in_film_order

MAX_LINE_CHARACTERS = 42
MAX_LINES = 2
PAUSES = ".,;:?!"
PAUSE_BONUS = 8

LineFits = Callable[[str], bool]


@dataclass(frozen=True)
class Subtitle:
    """One subtitle on screen: whole milliseconds and the wrapped lines of plain text."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: str
    off_screen: bool


def fits_characters(limit: int = MAX_LINE_CHARACTERS) -> LineFits:
    """A line fits when it has at most ``limit`` characters."""
    return lambda line: len(line) <= limit


def _pieces(word: str, fits: LineFits) -> list[str]:
    """``word`` cut into the longest pieces that fit a line (a word wider than a line is hyphen-free split)."""
    pieces = []
    while word:
        length = len(word)
        while length > 1 and not fits(word[:length]):
            length -= 1
        pieces.append(word[:length])
        word = word[length:]
    return pieces


def _greedy_lines(words: Sequence[str], fits: LineFits) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _balanced_lines(words: Sequence[str], fits: LineFits, max_lines: int) -> tuple[str, ...]:
    """The words as few lines as fit. Two lines are balanced, broken after a pause (``,`` ``.`` ``?`` ...) when that
    costs a few characters of balance, and the shorter on top when they cannot be even."""
    lines = _greedy_lines(words, fits)
    if len(lines) != 2 or max_lines < 2:
        return tuple(lines)
    best: tuple[int, int, tuple[str, str]] | None = None
    for split in range(1, len(words)):
        top, bottom = " ".join(words[:split]), " ".join(words[split:])
        if fits(top) and fits(bottom):
            pause = PAUSE_BONUS if top[-1] in PAUSES else 0
            score = (max(len(top), len(bottom)) - pause, len(top) - len(bottom), (top, bottom))
            if best is None or score[:2] < best[:2]:
                best = score
    return best[2] if best else tuple(lines)


def _length(words: Sequence[str]) -> int:
    return sum(len(word) + 1 for word in words)


def _chunks(words: Sequence[str], fits: LineFits, max_lines: int, label: str) -> list[list[str]]:
    """The words in as few subtitles as fit, then evened out so the last one is not a lone word or two."""

    def fitting(chunk: list[str], first: bool) -> bool:
        return len(_greedy_lines([label, *chunk] if label and first else chunk, fits)) <= max_lines

    greedy: list[list[str]] = []
    for word in words:
        if greedy and fitting([*greedy[-1], word], len(greedy) == 1):
            greedy[-1].append(word)
        else:
            greedy.append([word])
    even: list[list[str]] = []
    remaining = list(words)
    for left in range(len(greedy), 0, -1):
        target = _length(remaining) / left
        chunk: list[str] = []
        while remaining and (left == 1 or not chunk or _length(chunk) + len(remaining[0]) / 2 <= target):
            if chunk and not fitting([*chunk, remaining[0]], not even):
                break
            chunk.append(remaining.pop(0))
        even.append(chunk)
    if remaining or not all(fitting(chunk, number == 0) for number, chunk in enumerate(even)):
        return greedy
    return even


def split_cue(cue: DialogueCue, fits: LineFits, max_lines: int = MAX_LINES, label: str = "") -> list[Subtitle]:
    """``cue`` as consecutive subtitles of at most ``max_lines`` lines that ``fits``; ``label`` leads the first.

    The cue's time is shared out in proportion to the words each subtitle
    carries (the label is not a word); boundaries are whole milliseconds and
    the pieces meet exactly.
    """
    words = [piece for word in cue.text.split() for piece in _pieces(word, fits)]
    start_ms, end_ms = round(cue.start * 1000), round(cue.end * 1000)
    subtitles = []
    before = 0
    for number, chunk in enumerate(_chunks(words, fits, max_lines, label)):
        after = before + len(chunk)
        shown = [label, *chunk] if label and number == 0 else chunk
        subtitles.append(
            Subtitle(
                start_ms + (end_ms - start_ms) * before // len(words),
                start_ms + (end_ms - start_ms) * after // len(words),
                _balanced_lines(shown, fits, max_lines),
                cue.speaker,
                cue.off_screen,
            )
        )
        before = after
    return subtitles


def subtitles_of(
    cues: Sequence[DialogueCue], fits: LineFits | None = None, max_lines: int = MAX_LINES, labels: bool = False
) -> list[Subtitle]:
    """Every cue as subtitles, by start time; ``labels`` puts ``SPEAKER:`` before each cue's words."""
    fits = fits or fits_characters()
    subtitles = [
        subtitle
        for cue in in_film_order(cues)
        for subtitle in split_cue(cue, fits, max_lines, f"{cue.speaker.upper()}:" if labels else "")
    ]
    return sorted(subtitles, key=lambda subtitle: (subtitle.start_ms, subtitle.end_ms))


def timestamp(milliseconds: int, separator: str) -> str:
    """``HH:MM:SS<separator>mmm`` (``,`` for SubRip, ``.`` for WebVTT)."""
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _italic(lines: Sequence[str], italic: bool) -> list[str]:
    return [f"<i>{line}</i>" for line in lines] if italic else list(lines)


def srt_text(cues: Sequence[DialogueCue], speakers: bool = False, mark_off_screen: bool = True) -> str:
    """The cues as a SubRip file: numbered from 1, ``HH:MM:SS,mmm`` times, a blank line after each."""
    blocks = []
    for number, subtitle in enumerate(subtitles_of(cues, labels=speakers), start=1):
        times = f"{timestamp(subtitle.start_ms, ',')} --> {timestamp(subtitle.end_ms, ',')}"
        text = "\n".join(_italic(subtitle.lines, subtitle.off_screen and mark_off_screen))
        blocks.append(f"{number}\n{times}\n{text}\n")
    return "\n".join(blocks)


def vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt_text(cues: Sequence[DialogueCue], speakers: bool = False, mark_off_screen: bool = True) -> str:
    """The cues as a WebVTT file: ``HH:MM:SS.mmm`` times, text escaped, speakers as ``<v Name>`` spans."""
    blocks = ["WEBVTT\n"]
    for number, subtitle in enumerate(subtitles_of(cues), start=1):
        times = f"{timestamp(subtitle.start_ms, '.')} --> {timestamp(subtitle.end_ms, '.')}"
        lines = _italic([vtt_escape(line) for line in subtitle.lines], subtitle.off_screen and mark_off_screen)
        text = "\n".join(lines)
        if speakers:
            text = f"<v {vtt_escape(subtitle.speaker)}>{text}</v>"
        blocks.append(f"{number}\n{times}\n{text}\n")
    return "\n".join(blocks)


def subtitle_paths(film: Path) -> tuple[Path, Path]:
    """Where the SubRip and WebVTT files of ``film`` go: beside it, same stem."""
    return Path(film).with_suffix(".srt"), Path(film).with_suffix(".vtt")


def subtitle_files(
    film: Path, cues: Sequence[DialogueCue], speakers: bool = False, mark_off_screen: bool = True
) -> dict[Path, bytes]:
    """``<film stem>.srt`` and ``<film stem>.vtt`` (UTF-8, beside the film) and their contents, not yet written."""
    srt_path, vtt_path = subtitle_paths(film)
    return {
        srt_path: srt_text(cues, speakers, mark_off_screen).encode(),
        vtt_path: vtt_text(cues, speakers, mark_off_screen).encode(),
    }
