"""'Did you mean ...?' for names typed by hand."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A suggestion sentence, or '' when nothing is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if not close:
        lowered = {option.lower(): option for option in options}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    if close:
        return f"did you mean {close[0]!r}?"
    if options and len(options) <= 12:
        return "known: " + ", ".join(options)
    return ""
