"""Health endpoints for load balancers and orchestrators: ``/healthz`` and ``/readyz``.

``/healthz`` says only that the process answers (no database, no disk). ``/readyz`` says
whether this machine can serve: the database is reachable and at the migration head, every
live catalogue has its search index here, the outbox folder is writable and a delivery
worker has finished a round within the last minute. Both are public, unauthenticated and
cheap, and answer JSON with each check's result: 200 when all pass, 503 naming what failed.
"""
