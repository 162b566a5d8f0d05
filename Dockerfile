# Flowmap server image: `docker build -t flowmap .` then
#   docker run -p 8000:8000 -v flowmap-data:/data flowmap
# The same locked dependencies, package and `flowmap serve` command as `make run`;
# migrations run on start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    FLOWMAP_HOST=0.0.0.0 \
    FLOWMAP_PORT=8000 \
    FLOWMAP_DATABASE_URL=sqlite:////data/flowmap.db

WORKDIR /srv/flowmap
# Letters of other scripts than Latin in the PNG export (app/export/fonts.py FALLBACK_NAMES).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY requirements/runtime.txt ./requirements/runtime.txt
# The locked, hash-checked runtime dependencies first (a layer of their own), as `make run`.
RUN pip install --require-hashes -r requirements/runtime.txt
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY frontend ./frontend
RUN pip install --no-deps . \
 && useradd --system --create-home flowmap \
 && mkdir -p /data && chown flowmap /data

USER flowmap
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["flowmap", "serve"]
