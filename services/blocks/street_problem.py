"""Journey 2: report a street problem.

Category; location as a map pin (set by the map when JavaScript runs) or, equally,
a street from the council's gazetteer, a postcode and a landmark (fields marked
``data-map-alternative``); after a pin or a postcode, the nearest streets are
offered as radios (``services.streets``); if an open
case of the same category is already reported nearby, the resident may follow it
instead of filing a duplicate; a description and up to 3 photos (checked and
stripped of EXIF on the server, stored privately and attached to the case,
``services.uploads``); for guests an email address.
"""

from __future__ import annotations

from decimal import Decimal

from frontend.govuk_style import govuk_date
from services.blocks.transactions import Step, SubmissionStopped, TransactionBlock
from services.forms import (
    STREET_CATEGORIES,
    STREET_CATEGORY_WORDS,
    DuplicateChoiceForm,
    GuestContactForm,
    NearestStreetForm,
    StreetCategoryForm,
    StreetDescriptionForm,
    StreetLocationForm,
)


def _decimal(value):
    return Decimal(str(value)) if value not in (None, "") else None


class StreetProblemBlock(TransactionBlock):
    class Meta:
        group = "Transactions"
        icon = "warning"
        template = "services/blocks/transaction.html"
        cacheable = False
        label = "Report a street problem"
        description = "Residents report potholes, broken lights, fly-tipping and more."
        preview_value = {"heading": "Report a street problem"}

    def search_terms(self, value) -> list[str]:
        """The categories residents can report, and their words for them, indexed
        with the page (``ServicePage.transaction_terms``)."""
        words = []
        for key, label in STREET_CATEGORIES:
            words += [label, *STREET_CATEGORY_WORDS.get(key, [])]
        return words

    def get_steps(self, value, request, state):
        steps = [
            Step("category", "What is the problem?", StreetCategoryForm),
            Step(
                "location",
                "Where is the problem?",
                StreetLocationForm,
                hint=(
                    "Choose the street and tell us the nearest landmark, "
                    "or set a pin on the map."
                ),
            ),
        ]
        nearest = self.nearest_streets(state)
        if nearest is not None:
            steps.append(
                Step(
                    "nearest_street",
                    "Which street is nearest?",
                    NearestStreetForm,
                    hint="These are the streets nearest to "
                    + (
                        "your map pin."
                        if state["answers"]["location"].get("latitude")
                        else "the postcode you gave."
                    ),
                    form_kwargs={
                        "streets": nearest,
                        "allow_none": bool(
                            state["answers"]["location"].get("latitude")
                        ),
                    },
                )
            )
        duplicate = state.get("duplicate")
        if duplicate:
            form_class = DuplicateChoiceForm
            steps.append(
                Step(
                    "duplicate",
                    "This problem may already have been reported",
                    form_class,
                    hint=(
                        f"{duplicate['summary']} was reported nearby on "
                        f"{duplicate['date']} (reference {duplicate['reference']}) "
                        "and is being dealt with."
                    ),
                )
            )
        steps.append(Step("description", "Describe the problem", StreetDescriptionForm))
        if not request.user.is_authenticated:
            steps.append(Step("contact", "How can we contact you?", GuestContactForm))
        return steps

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        if request is not None and context.get("step_name") == "location":
            # The map step loads tiles: allow the tile host in this response's CSP
            # (home.platform.middleware.CouncilCSPMiddleware), and only in this one.
            request.csp_map_tiles = True
        return context

    @staticmethod
    def nearest_streets(state):
        """Streets to offer after a pin or postcode without a street, else None."""
        from services.streets import nearest_to_point, nearest_to_postcode

        location = state["answers"].get("location")
        if not location or location.get("street"):
            return None
        if location.get("latitude"):
            streets = nearest_to_point(location["latitude"], location["longitude"])
        elif location.get("postcode"):
            streets = nearest_to_postcode(location["postcode"])
        else:
            return None
        return streets or None

    @staticmethod
    def chosen_street(state) -> dict:
        """The street the resident gave: from the list, or the nearest-street step."""
        from services.streets import get_street

        location = state["answers"].get("location", {})
        if location.get("street"):
            return {"id": location.get("street_id") or None, "name": location["street"]}
        picked = get_street(state["answers"].get("nearest_street", {}).get("street"))
        if picked:
            return {"id": picked.pk, "name": picked.name}
        return {"id": None, "name": ""}

    def location_text(self, state) -> str:
        location = state["answers"].get("location", {})
        parts = [self.chosen_street(state)["name"], location.get("landmark", "")]
        return ", ".join(p for p in parts if p)

    def find_duplicate(self, value, state):
        from services.models import Case

        location = state["answers"]["location"]
        nearby = (
            Case.objects.open()
            .filter(
                service=value["service"],
                category=state["answers"]["category"]["category"],
            )
            .nearby(
                latitude=_decimal(location.get("latitude")),
                longitude=_decimal(location.get("longitude")),
                street=self.chosen_street(state)["name"],
            )
            .only("pk", "reference", "summary", "created_at")
            .order_by("-created_at")
            .first()
        )
        if nearby is None:
            return None
        return {
            "pk": nearby.pk,
            "reference": nearby.reference,
            "summary": nearby.summary or "A similar problem",
            "date": govuk_date(nearby.created_at),
        }

    def clean_step(self, step, form, value, request, state):
        if step.name == "location":
            # A new location: the nearest streets offered before no longer apply.
            state["answers"].pop("nearest_street", None)
        if (
            step.name in ("category", "location", "nearest_street")
            and "location" in state["answers"]
        ):
            state["duplicate"] = self.find_duplicate(value, state)
            state["answers"].pop("duplicate", None)
        elif step.name == "duplicate" and form.cleaned_data["choice"] == "follow":
            self.follow(request, state)
        elif step.name == "description":
            # Stored privately now (a session cannot hold them); they become the
            # case's attachments on submit, or are swept if it never comes.
            from services.uploads import stored_file

            photos = form.cleaned_data.get("photos") or []
            state["answers"]["description"]["photos"] = [
                stored_file(photo, token=state["token"]) for photo in photos
            ]

    def follow(self, request, state):
        from services import actions
        from services.models import Case

        duplicate = state["duplicate"]
        if not request.user.is_authenticated:
            raise SubmissionStopped(
                "You do not need to report this problem again",
                f"It is already being dealt with (reference {duplicate['reference']}). "
                "Sign in if you want to follow it and get updates by email.",
            )
        case = Case.objects.get(pk=duplicate["pk"])
        actions.follow_case(case=case, user=request.user)
        raise SubmissionStopped(
            f"You are following {case.reference}",
            "We will email you when it is updated. You can see it with your requests.",
        )

    def summary_rows(self, value, request, state):
        answers = state["answers"]
        location = answers["location"]
        where = self.location_text(state)
        if location.get("latitude") not in (None, ""):
            pin = f"Map pin at {location['latitude']}, {location['longitude']}"
            where = f"{where}\n{pin}" if where else pin
        elif location.get("postcode") and location.get("postcode") not in where:
            where = f"{where}\nNear {location['postcode']}"
        photos = answers["description"].get("photos", [])
        rows = [
            {
                "key": "Problem",
                "value": dict(STREET_CATEGORIES)[answers["category"]["category"]],
                "step": "category",
            },
            {"key": "Location", "value": where, "step": "location"},
            *(
                [
                    {
                        "key": "Nearest street",
                        "value": self.chosen_street(state)["name"] or "Not given",
                        "step": "nearest_street",
                    }
                ]
                if "nearest_street" in answers
                else []
            ),
            {
                "key": "Description",
                "value": answers["description"]["description"],
                "step": "description",
            },
            {
                "key": "Photos",
                "value": f"{len(photos)} photo{'s' if len(photos) != 1 else ''}"
                if photos
                else "None",
                "step": "description",
            },
        ]
        if "contact" in answers:
            rows.append(
                {
                    "key": "Email address",
                    "value": answers["contact"]["email"],
                    "step": "contact",
                }
            )
        return rows

    def process_submission(self, value, request, state, *, token):
        from django.db import transaction

        with transaction.atomic():
            case = self._open_case(value, request, state, token=token)
            if case.created:
                from services.uploads import attach_files

                photos = state["answers"]["description"].get("photos") or []
                attach_files(
                    case=case,
                    files=[
                        {**p, "question": "Photo"}
                        for p in photos
                        if isinstance(p, dict)
                    ],
                )
        return case

    def _open_case(self, value, request, state, *, token):
        from services import actions

        answers = state["answers"]
        if answers.get("duplicate", {}).get("choice") == "follow":
            self.follow(request, state)
        user = request.user if request.user.is_authenticated else None
        location = answers["location"]
        category = answers["category"]["category"]
        label = dict(STREET_CATEGORIES)[category]
        street = self.chosen_street(state)
        return actions.open_case(
            service=value["service"],
            answers={
                "category": category,
                "category_label": label,
                "description": answers["description"]["description"],
                "street": street["name"],
                "landmark": location.get("landmark", ""),
            },
            resident=user,
            guest_email="" if user else answers["contact"]["email"],
            contact_name="" if user else answers["contact"].get("name", ""),
            idempotency_key=token,
            caller=state.caller,
            summary=label,
            category=category,
            latitude=_decimal(location.get("latitude")),
            longitude=_decimal(location.get("longitude")),
            location_description=self.location_text(state),
            postcode=location.get("postcode", ""),
            street_id=street["id"],
        )

    def render_confirmation(self, value, request, done):
        context = super().render_confirmation(value, request, done)
        context["title_text"] = "Problem reported"
        context["next_steps"] = (
            "An inspector will look at it. We will email you when it is fixed."
        )
        return context
