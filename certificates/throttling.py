"""The rate limit of looking a certificate up by serial and registration number.

Registration numbers are short: without a limit, someone holding a serial could try
them one after another. Counted per client (behind the load balancer too: see
:func:`lms.http.client_ip`), in the cache shared by every web host. The verification
page and the REST API's verification endpoint count against the same budget, so a
client cannot double its tries by switching between them.
"""

from django.http import HttpRequest

from lms.throttling import client_bucket, rate_limit_consume

SERIAL_LOOKUPS_PER_WINDOW = 20
SERIAL_LOOKUP_WINDOW_SECONDS = 10 * 60


def serial_lookup_allowed(request: HttpRequest) -> bool:
    """Count one lookup by serial for the client behind ``request``; ``False`` once over the limit."""
    return rate_limit_consume(
        scope="certificates:serial-lookup",
        identity=client_bucket(request),
        limit=SERIAL_LOOKUPS_PER_WINDOW,
        window_seconds=SERIAL_LOOKUP_WINDOW_SECONDS,
    )


TRANSCRIPT_LOOKUPS_PER_WINDOW = 60
TRANSCRIPT_LOOKUP_WINDOW_SECONDS = 10 * 60


def transcript_lookup_allowed(request: HttpRequest) -> bool:
    """Count one look-up of a transcript by its code for the client behind ``request``; ``False`` once over.

    A code has 160 random bits, so guessing is hopeless anyway; the limit keeps anyone
    from using the page to probe codes in bulk or to load the database.
    """
    return rate_limit_consume(
        scope="certificates:transcript-lookup",
        identity=client_bucket(request),
        limit=TRANSCRIPT_LOOKUPS_PER_WINDOW,
        window_seconds=TRANSCRIPT_LOOKUP_WINDOW_SECONDS,
    )
