# The web, worker and beat image. See docker-compose.yml and README.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext compiles the translations; the PostgreSQL client is for `make backup` / `make restore`;
# Tesseract (English, Russian) and poppler read scanned documents' text; the demo renders a scan in DejaVu Sans.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext postgresql-client make \
       tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus poppler-utils fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Build-time only: production settings refuse to load without a long SECRET_KEY.
RUN python manage.py compilemessages --ignore=.venv -v0 \
    && DJANGO_DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
       python manage.py collectstatic --noinput -v0

RUN useradd --system --uid 1000 --home-dir /app casetracker \
    && mkdir -p /app/var/media /app/var/backups \
    && chown -R casetracker /app/var
USER casetracker

ENV DJANGO_DEBUG=0 MEDIA_ROOT=/app/var/media
EXPOSE 8000
CMD ["gunicorn", "casetracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
