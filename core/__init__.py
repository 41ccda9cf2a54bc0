"""Off-grid AI site configurator: pure-Python core (no Qt)."""

__version__ = "0.1.0"
