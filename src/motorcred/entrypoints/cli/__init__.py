"""The ``motorcred`` command line (Typer + Rich)."""
