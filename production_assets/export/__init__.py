"""Deliverables: atomic writes, frame files, fitting, encoders (film + per-shot clips), editorial
timelines (OTIO, EDL), retro files, probing, checks (verify), manifest and HTML report."""
