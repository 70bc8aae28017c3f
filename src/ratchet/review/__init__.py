"""Review: draw the traces worth reading, count what reviewers found, and tell when to stop.

The maths here is pure (sampling, counts with Wilson intervals, the
saturation curve); the review stage's I/O lives at its edges.
"""
