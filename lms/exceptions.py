"""The base of every domain error: a refusal with a message a person can read."""


class DomainError(Exception):
    """A request the rules refuse. ``message`` is shown to the person who made it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
