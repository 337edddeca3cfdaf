# The production image: gunicorn (web), Celery worker and beat all run from it.
# See docker-compose.yml for a production-like deployment.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint's system libraries and the certificate fonts (Noto covers Devanagari).
# libharfbuzz-subset0 lets WeasyPrint subset fonts natively instead of in pure Python.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-noto-core \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 lms \
    && useradd --system --uid 1000 --gid lms --create-home --home-dir /home/lms --shell /usr/sbin/nologin lms

# Dependencies first, so a code change does not reinstall them.
COPY requirements/pip.lock requirements/base.lock /tmp/
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --require-hashes -r /tmp/pip.lock \
    && pip install --require-hashes -r /tmp/base.lock \
    && rm /tmp/pip.lock /tmp/base.lock

WORKDIR /app
# The code stays owned by root: the application user can read it, not change it.
COPY . .

# Static files are collected into the image and served by whitenoise. The settings refuse
# to load without their required values; these throwaway ones never reach a running
# container (nothing connects to the database or Redis during collectstatic).
RUN DJANGO_SETTINGS_MODULE=lms.settings.production \
    DJANGO_SECRET_KEY=build-only \
    DJANGO_ALLOWED_HOSTS='*' \
    DATABASE_URL=sqlite:////tmp/build.db \
    REDIS_URL=redis://build-only:6379/0 \
    LMS_BASE_URL=https://build-only.invalid \
    DJANGO_TRUSTED_PROXY_COUNT=0 \
    python manage.py collectstatic --noinput --verbosity 1 \
    && rm -f /tmp/build.db \
    && mkdir -p /app/media \
    && chown lms:lms /app/media

USER lms

ENV DJANGO_SETTINGS_MODULE=lms.settings.production \
    WEB_CONCURRENCY=3

EXPOSE 8000

# gunicorn reads its worker count from WEB_CONCURRENCY.
CMD ["gunicorn", "lms.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60"]
