import factory
from wagtail_personalisation.models import Segment
from wagtail_personalisation.rules import DeviceRule, QueryRule, ReferralRule


class SegmentFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Segment {n}")
    status = Segment.STATUS_ENABLED
    type = Segment.TYPE_DYNAMIC

    class Meta:
        model = Segment


class ReferralRuleFactory(factory.django.DjangoModelFactory):
    segment = factory.SubFactory(SegmentFactory)
    regex_string = r"google\."

    class Meta:
        model = ReferralRule


class QueryRuleFactory(factory.django.DjangoModelFactory):
    segment = factory.SubFactory(SegmentFactory)
    parameter = "utm_campaign"
    value = "bins"

    class Meta:
        model = QueryRule


class DeviceRuleFactory(factory.django.DjangoModelFactory):
    segment = factory.SubFactory(SegmentFactory)
    mobile = True

    class Meta:
        model = DeviceRule
