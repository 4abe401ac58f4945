# Veilleur in a container: a slim Python, a non-root user, the database on a volume.
#   docker build -t veilleur .
#   docker run -d --name veilleur --env-file .env -v veilleur-data:/data veilleur            # Socket Mode
#   docker run -d --name veilleur --env-file .env -v veilleur-data:/data -p 127.0.0.1:3000:3000 veilleur
#                                                                   # HTTP mode, behind a reverse proxy
# Backups: docker exec veilleur veilleur backup /data/veilleur-copie.db, or set
# VEILLEUR_BACKUP_DIR=/data/backups for one a day. Stop with docker stop (SIGTERM: a clean stop in 10 s).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VEILLEUR_DB=/data/veilleur.db \
    PORT=3000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN pip install . \
    && useradd --create-home --uid 10001 --user-group veilleur \
    && mkdir -p /data/backups \
    && chown -R veilleur:veilleur /data

USER veilleur
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3000

# HTTP mode: /healthz answers 503 when the database cannot be read or written. Socket Mode serves
# no HTTP at all, so there the check only says the process is up (Docker restarts it if it exits).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0) if os.environ.get('SLACK_APP_TOKEN') else urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

STOPSIGNAL SIGTERM
CMD ["veilleur"]
