"""`make cluster`: Rasa's scale-out topology on one machine, for trying it and for its tests.

Two Rasa servers and two action servers behind nginx on loopback, sharing a PostgreSQL
tracker store and a Redis lock store (Debian's packages, started here as this user's
own instances). deploy/ describes the same topology for Kubernetes and Docker Compose.
"""
