"""Built-in presets, production templates, the example production and the JSON Schemas.

This folder stays at the repository's top level and is shipped as the package data of
``production_assets.configs`` (pyproject.toml: ``package-dir``), so a wheel and an editable
install read it the same way, with ``importlib.resources``. It holds no code.
"""
