"""`production run`: plan, execute through Dagster, report."""
