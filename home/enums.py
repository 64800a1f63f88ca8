from django.db import models


class AlertSeverity(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    MAJOR = "major", "Major disruption"
    MINOR = "minor", "Minor disruption"
    ANNOUNCEMENT = "announcement", "Announcement"

    @classmethod
    def rank(cls, value: str) -> int:
        order = [cls.EMERGENCY, cls.MAJOR, cls.MINOR, cls.ANNOUNCEMENT]
        return order.index(value) if value in order else len(order)
