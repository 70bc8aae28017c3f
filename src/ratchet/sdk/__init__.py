"""What an application imports: explicit feedback, incidents and version stamping.

Depends only on ``ratchet.core`` and httpx, so an application can use it
without pulling the server's dependencies into its own process.
"""

from ratchet.sdk.feedback import FEEDBACK_KINDS, FeedbackError, feedback, incident
from ratchet.sdk.versions import version_attributes

__all__ = ["FEEDBACK_KINDS", "FeedbackError", "feedback", "incident", "version_attributes"]
