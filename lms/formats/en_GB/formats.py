"""Date input formats for the academy's locale (en-GB): Django's, plus the admin's own.

The Wagtail admin shows dates as ``WAGTAIL_DATE_FORMAT`` ("01 Dec 2026") and date-times
as ``WAGTAIL_DATETIME_FORMAT``; a form posts them back as shown. Django's en-GB formats
do not parse those, so without these an administrator could not save a course run
without retyping every date.
"""

from django.conf.locale.en_GB import formats as django_en_gb

DATE_INPUT_FORMATS = ["%d %b %Y", *django_en_gb.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%d %b %Y %H:%M", "%d %b %Y %H:%M:%S", *django_en_gb.DATETIME_INPUT_FORMATS]
