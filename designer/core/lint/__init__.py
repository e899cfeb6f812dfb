"""Lint: a pure function from a model snapshot to findings (see ``engine.lint``)."""
