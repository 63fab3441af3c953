"""Dagster instance profiles (local, farm, k8s), shipped as the package data of ``production_assets.deploy``.

This folder stays at the repository's top level; pyproject.toml (``package-dir``) maps it into the
package, so `production run` finds the local profile from a wheel as from the repository. It holds no code.
"""
