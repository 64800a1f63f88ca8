from .a_to_z import AToZPage  # noqa: F401
from .attachments import CaseAttachment  # noqa: F401
from .bookings import (  # noqa: F401
    BlackoutDay,
    Booking,
    BookingStatus,
    Calendar,
    PriceItem,
    PriceList,
    Round,
    Slot,
)
from .cases import (  # noqa: F401
    Case,
    CaseDraft,
    CaseEvent,
    CaseFollower,
    CaseSatisfaction,
    OutboxEvent,
    PartnerGroup,
    Satisfaction,
    ServiceDefinition,
)
from .contacts import (  # noqa: F401
    Consent,
    ConsentPurpose,
    Contact,
    ContactMerge,
    ContactPoint,
    ContactPointKind,
    Handover,
    MergeReason,
)
from .councillors import ConstituentEnquiry  # noqa: F401
from .guides import GuidePage, GuidePart  # noqa: F401
from .integrations import (  # noqa: F401
    ApiCallLog,
    ApiClient,
    WebhookEventType,
    WebhookSubscription,
)
from .interactions import Interaction, InteractionReason  # noqa: F401
from .news import NewsArticlePage, NewsIndexPage  # noqa: F401
from .notifications import (  # noqa: F401
    MessageChannel,
    MessageStatus,
    NotifyMessage,
)
from .payments import (  # noqa: F401
    Payment,
    PaymentStatus,
    PaymentWebhookMessage,
    Refund,
    pounds,
)
from .permits import (  # noqa: F401
    Permit,
    PermitKind,
    PermitScheme,
    PermitStatus,
)
from .reports import (  # noqa: F401
    ChannelCosts,
    ClosedCaseFact,
    InteractionDayStats,
    JourneyEvent,
    JourneyStepCount,
    ServiceDayStats,
    ServiceWeekStats,
)
from .segment_rules import (  # noqa: F401
    OpenCaseRule,
    RecentlyClosedCaseRule,
    UpcomingBookingRule,
)
from .service_pages import ServiceLandingPage, ServicePage  # noqa: F401
from .step_by_step import StepByStepPage, step_by_steps_linking_to  # noqa: F401
from .streets import Street  # noqa: F401
