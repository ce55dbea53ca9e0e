"""Performance measurements: `python -m bench` runs them all, `--quick` is CI's smoke mode."""
