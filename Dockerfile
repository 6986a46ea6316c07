# The production image. Its build steps are one script, scripts/build-image.sh (venv, install,
# compiled translations, a check that the UBL schemas, translations and migrations are in place);
# CI runs the same script on the host in a fresh venv (tests/integration/test_build_image.py),
# since no container engine there can pull this base image. A failed step fails the build.
#
# One image, three roles (compose.yaml runs them): `flask --app webshop db upgrade heads` once,
# the web app on gunicorn (the default command), and `flask --app webshop worker`.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    VENV=/opt/venv PATH=/opt/venv/bin:$PATH \
    WEBSHOP_INSTANCE_DIR=/data WEB_CONCURRENCY=2
WORKDIR /app
COPY . /app
RUN bash scripts/build-image.sh /app \
 && useradd --system --user-group --uid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin webshop \
 && mkdir -p /data \
 && chown webshop:webshop /data
# No SECRET_KEY in the image: pass it at run time (-e SECRET_KEY=..., the same value on every app
# server), or put it in /data/secret_key. Without a real key the app refuses to start.
# SQLite in /data by default; set DATABASE_URL=postgresql+psycopg://... for PostgreSQL.
USER webshop
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# gunicorn reads WEB_CONCURRENCY (workers) and FORWARDED_ALLOW_IPS (the proxy that sets X-Forwarded-Proto).
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "webshop:create_app()"]
