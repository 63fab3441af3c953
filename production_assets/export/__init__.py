"""Deliverables: atomic writes, frame files, fitting, encoders, retro files and probing."""
