"""Dagster: the asset graph per production, checks, sensors and jobs."""
