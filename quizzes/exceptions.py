"""Errors raised by the quizzes services; each carries a message for the learner."""

from lms.exceptions import DomainError


class QuizUnavailableError(DomainError):
    """The quiz cannot be taken by this learner now (not enrolled, not published, misconfigured)."""


class AttemptLimitError(DomainError):
    """Every allowed attempt has been used (or the quiz is already passed)."""


class AttemptClosedError(DomainError):
    """The attempt is no longer in progress."""


class AttemptExpiredError(DomainError):
    """The attempt's time is up: answers can no longer be saved."""


class AnswerInvalidError(DomainError):
    """A malformed answer: unknown question or choice, or several picks for a single-answer question."""
