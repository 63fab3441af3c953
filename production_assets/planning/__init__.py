"""Planning without Dagster: the data version each shot asks for, the loaded and cached production, where
each shot stands against what was published, and how shots group into runs. Orchestration reads Dagster's
records and hands them here; ``production info``, ``status`` and ``--dry-run`` plan with the same code.
"""
