"""Post-processing: the per-frame colour grade and the retro console look (numpy, vectorised)."""
