"""The text-to-speech engine of the scratch read (``scratch_audio: true``): espeak-ng, from the system."""

from __future__ import annotations

import shutil

ENGINES = ("espeak-ng",)
INSTALL_HINT = "install espeak-ng (apt-get install espeak-ng, brew install espeak-ng) or set scratch_audio: false"


def tts_engine() -> str | None:
    """The text-to-speech executable as found on PATH, or None when it is not installed."""
    for name in ENGINES:
        if found := shutil.which(name):
            return found
    return None
