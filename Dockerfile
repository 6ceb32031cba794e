# The image of web, worker and migrate in docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders the PDFs with Pango and HarfBuzz; fontconfig finds the committed fonts;
# shared-mime-info lets it recognise the photos' formats.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 \
        libharfbuzz0b libharfbuzz-subset0 \
        libfontconfig1 fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --create-home --home-dir /home/bantin --shell /usr/sbin/nologin bantin

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them: exactly the versions and
# files of requirements/prod.lock, hash-checked, S3 and Redis clients included (STORAGE_BACKEND=s3,
# REDIS_URL). Every pin there has wheels for Linux on x86_64 and arm64, so no compiler is needed.
# The project itself is not installed: gunicorn and manage.py run it from /app.
COPY requirements/prod.lock requirements/prod.lock
RUN pip install --require-hashes -r requirements/prod.lock

COPY . .

# Static files are collected into the image and served by WhiteNoise; the key is a throwaway,
# the real one only exists at run time.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=localhost DEBUG=false \
    DJANGO_SETTINGS_MODULE=config.settings.prod \
    python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/media \
    && chown bantin:bantin /app/media

USER bantin
# A fresh named volume mounted here takes this folder's owner, so the app can write uploads.
VOLUME ["/app/media"]
EXPOSE 8000

CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi"]
