from django.db import models


class PublicVersion(models.Model):
    """A counter that cached public pages remember; bumping it retires every page built on an older value.

    It lives in the database rather than in Redis so that a write bumps it in its own transaction: the
    invalidation commits with the change, or neither does, even while Redis is unreachable.
    """

    name = models.CharField(primary_key=True, max_length=40)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.value}"
