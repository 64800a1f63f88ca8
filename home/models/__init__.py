from .accessibility import AccessibilityAuditRun, AccessibilityStatementPage  # noqa: F401
from .base import BasePage, apply_cache_policy  # noqa: F401
from .feedback import PageFeedback  # noqa: F401
from .pages import HomePage, StandardPage  # noqa: F401
from .settings import SiteSettings  # noqa: F401
from .snippets import AlertBanner, ContactDetails  # noqa: F401
