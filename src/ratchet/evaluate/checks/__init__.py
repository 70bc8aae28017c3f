"""Deterministic checks: pure functions of a run and a fixture's expectations.

``registry`` holds the names; ``apply.run_checks`` runs the ones a fixture
asks for (built-ins keyed by expectation field, then plugin checks).
"""
