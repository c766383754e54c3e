"""The read-only public REST API at /api/v1/."""
