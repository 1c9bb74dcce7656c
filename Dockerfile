# The SRM API (and CLI) as an image; Neo4j runs in its own container (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/srm

COPY pyproject.toml README.md ./
COPY srm ./srm
COPY ingest ./ingest
COPY cypher ./cypher
COPY graph ./graph
COPY api ./api
COPY viz ./viz
COPY operations ./operations
COPY synthetic ./synthetic
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 srm
USER srm

EXPOSE 8000
CMD ["srm", "serve", "--host", "0.0.0.0", "--port", "8000"]
