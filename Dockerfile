# The same install as `make`, served by gunicorn. SQLite in a volume by default;
# set DATABASE_URL for PostgreSQL (several app servers share one database).
FROM python:3.11-slim-bookworm
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WEBSHOP_INSTANCE_DIR=/data
COPY pyproject.toml README.md ./
COPY webshop webshop
COPY ehf ehf
COPY seed seed
COPY migrations migrations
RUN pip install --no-cache-dir . \
 && pybabel compile -d webshop/translations -f -q || true
# The UBL 2.1 schemas the EHF library validates against (mount ../shared/peppol/xsd or copy them in).
ENV EHF_XSD_DIR=/xsd/ubl-2.1
# No SECRET_KEY here: pass one at run time (docker run -e SECRET_KEY=...; the same value on every
# app server), or put it in /data/secret_key. Without a real key the app refuses to start.
VOLUME ["/data"]
EXPOSE 8000
CMD ["sh", "-c", "flask --app webshop db upgrade heads && exec gunicorn -w 2 -b 0.0.0.0:8000 'webshop:create_app()'"]
