"""`python -m production_assets` == `production`."""

from production_assets.cli import main

main()
