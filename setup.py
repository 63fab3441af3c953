"""The one packaging setting pyproject.toml cannot express: the code packages found, plus configs/ and deploy/.

configs/ and deploy/ stay at the repository's top level (product card) and ship inside the package as
production_assets.configs (presets, production templates, the example, the JSON Schemas) and
production_assets.deploy (instance profiles); pyproject.toml maps their folders (package-dir) and names
their files (package-data). Everything else about the package is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["production_assets", "production_assets.*"]),
        "production_assets.configs",
        "production_assets.deploy",
    ]
)
