"""The case API for back-office systems, served under ``/api/`` (docs/api.md)."""
