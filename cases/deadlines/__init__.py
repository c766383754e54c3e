"""Procedural deadlines: a pure-Python rules engine plus the Django glue that stores what it computes.

`rules`, `calendars` and `engine` import no Django, so they can be tested and reused alone.
"""
