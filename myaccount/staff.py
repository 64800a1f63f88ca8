"""Who counts as staff, and whether they have the second factor the admin needs.

Every account that can open the Wagtail admin (``wagtailadmin.access_admin``, which
superusers have) or is marked ``is_staff`` must use two-factor authentication:
``myaccount.middleware.StaffTwoFactorMiddleware`` sends one without it to enrolment
before any admin page, and ``myaccount.adapters.MFAAdapter`` does not let them turn
it off.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator

ADMIN_PERMISSION = "wagtailadmin.access_admin"
# A recovery code alone is not a factor a person carries: an app (or key) is.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_staff_member(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_staff or user.is_superuser or user.has_perm(ADMIN_PERMISSION))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def must_enrol(user) -> bool:
    """Staff without a second factor: they may not use the admin yet."""
    return is_staff_member(user) and not has_second_factor(user)
