"""The project's errors. Every one carries a message fit to show a person; none ever holds a secret."""

from __future__ import annotations

from dataclasses import dataclass


class WizardError(Exception):
    """Base of every error the wizard reports to a person."""


class CredentialsMissing(WizardError):
    """No usable credentials were found; the message says what to set."""


@dataclass(frozen=True)
class FieldHint:
    """Where a user fixes what an API error complains about."""

    step: str
    field: str
    advice: str


class ApiError(WizardError):
    """The API refused a call: its code, message, HTTP status and request ID, and where to fix it."""

    def __init__(
        self,
        *,
        code: str,
        message: str,
        http_status: int,
        request_id: str = "",
        hint: FieldHint | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.http_status = http_status
        self.request_id = request_id
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        """The error in plain words, with the vendor code and request ID."""
        parts = [self.hint.advice if self.hint else self.message]
        if self.hint and self.message and self.message not in parts[0]:
            parts.append(f"(the API said: {self.message})")
        ident = f"{self.code or 'HTTP ' + str(self.http_status)}"
        if self.request_id:
            ident += f", request {self.request_id}"
        return f"{' '.join(parts)} [{ident}]"


class NetworkError(WizardError):
    """A call failed without an answer from the API (connection refused, timeout, TLS) after its retries."""


class Throttled(NetworkError):
    """The gateway kept turning a read away for its rate, or asked to wait longer than the wizard waits."""


class NotCreated(WizardError):
    """A create failed ambiguously and a lookup by name proved nothing was created: it is safe to retry."""


class OutcomeUnknown(WizardError):
    """A create failed ambiguously and the lookup by name could not settle whether it happened."""
