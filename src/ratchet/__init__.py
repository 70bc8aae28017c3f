"""Ratchet: close the loop from production traces to evals.

Every failure that real use surfaces becomes a minimal, redacted, owned
fixture, and every release must pass the fixtures that protect what it
changes. The public surface lives in the stage packages; this module only
carries the version.
"""

__version__ = "0.1.0"
