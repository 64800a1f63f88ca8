"""Subscribe to garden waste collection and apply for a resident parking
permit: the resident's address, what they want (bins, a permit type and a
vehicle), the price and period worked out on the server from the scheme
(``services.permits.actions.quote``), payment, and a permit number once paid.

Both need an account: the permit is renewed from My Account (or the reminder
email's link to it) each year. Garden waste shares the address steps with the
other waste journeys (``AddressStepsMixin``); a parking permit is for the address
held in the account, as the zone is checked against it.
"""

from __future__ import annotations

from django import forms

from wagtail.snippets.blocks import SnippetChooserBlock

from frontend.forms import GovUKForm
from services.blocks.address import AddressStepsMixin, profile_address
from services.blocks.bookings import PaidJourneyMixin, booking_confirmation
from services.blocks.transactions import Step, SubmissionStopped, TransactionBlock
from services.models.payments import pounds


class BinsForm(GovUKForm):
    bins = forms.IntegerField(
        label="Number of garden waste bins",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many bins you want",
            "invalid": "Enter how many bins you want, as a number",
            "min_value": "You need at least 1 bin",
        },
    )

    def __init__(self, *args, max_bins=3, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bins"].validators.append(_max(max_bins))


def _max(limit: int):
    def check(value):
        if value is not None and value > limit:
            raise forms.ValidationError(
                f"You can have up to {limit} garden waste bins at one address"
            )

    return check


class PermitTypeForm(GovUKForm):
    permit_type = forms.ChoiceField(
        label="Permit type",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of permit",
            "invalid_choice": "Select the type of permit",
        },
    )

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].choices = [
            (t["code"], f"{t['name']} ({pounds(t['price'])} a year)") for t in types
        ]


class VehicleForm(GovUKForm):
    registration = forms.CharField(
        label="Vehicle registration number",
        help_text="As on the vehicle's logbook (V5C), for example AB12 CDE",
        max_length=10,
        error_messages={"required": "Enter the vehicle registration number"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10 govuk-input--extra-letter-spacing",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_registration(self):
        from services.permits.actions import normalise_registration

        compact = normalise_registration(self.cleaned_data["registration"])
        if compact is None:
            raise forms.ValidationError(
                "Enter a real vehicle registration number, like AB12 CDE"
            )
        return compact


class PermitJourneyMixin(PaidJourneyMixin):
    """What both permit journeys share: signed-in residents only, the price and
    period from the scheme, the case, the pending permit and its payment, and a
    confirmation read from the database."""

    kind_label = "permit"

    def can_use(self, value, request, caller=None) -> bool:
        return bool(value["service"] and request.user.is_authenticated)

    def entry_context(self, value, request, page) -> dict:
        return {"mode": "sign_in", "next_url": page.get_url(request=request)}

    def quoted(self, value, state):
        from services.permits.actions import quote

        return quote(
            scheme=value["scheme"],
            item_code=self.item_code(value, state),
            quantity=self.quantity(state),
        )

    def quantity(self, state) -> int:
        return 1

    def price_rows(self, value, state) -> list[dict]:
        from services.permits.actions import PermitError

        try:
            q = self.quoted(value, state)
        except PermitError:
            return []
        total = q.amount_display if q.amount else "Nothing to pay"
        if q.amount != q.full_price:
            total += f" ({q.months} months of {pounds(q.full_price)} a year)"
        return [
            {
                "key": "Period",
                "value": f"{q.valid_from:%-d %B %Y} to {q.valid_until:%-d %B %Y}",
            },
            {"key": "Total to pay", "value": total},
        ]

    def open_permit(self, value, request, state, *, token, answers, summary):
        """The case, the pending permit, and (when something is due) the payment."""
        from services import actions
        from services.permits.actions import PermitError, create_permit

        scheme = value["scheme"]
        try:
            q = self.quoted(value, state)
        except PermitError as exc:
            raise SubmissionStopped("Sorry, there is a problem", str(exc)) from exc
        address = self.permit_address(request, state)
        case = actions.open_case(
            service=value["service"],
            answers=answers | {"total_pence": q.amount, "address": address["address"]},
            resident=request.user,
            idempotency_key=token,
            caller=state.caller,
            summary=summary,
            category=scheme.kind,
            address=address["address"],
            postcode=address["postcode"],
            uprn=address["uprn"],
        )
        permit = case.permits.first()
        if permit is None:
            permit = create_permit(
                scheme=scheme,
                case=case,
                user=request.user,
                quoted=q,
                address=address["address"],
                uprn=address["uprn"],
                postcode=address["postcode"],
                registration=answers.get("vehicle_registration", ""),
            )
        if permit.amount:
            case.pending_payment = self.start_or_resume_payment(
                case,
                amount=permit.amount,
                description=f"{scheme.name} {case.reference}",
                return_path=request.path,
                purpose={"permit": str(permit.uuid)},
                email=case.contact_email,
            )
        return case

    def render_confirmation(self, value, request, done):
        context = booking_confirmation(done)
        case = context.get("case")
        permit = case.permits.first() if case is not None else None
        if permit is not None and context.get("state") == "received":
            context["state"] = "booked" if permit.number else "received"
        if permit is not None and permit.number:
            context["rows"] = [
                {
                    "key": f"{self.kind_label.capitalize()} number",
                    "value": permit.number,
                },
                {"key": "For", "value": permit.description},
                {"key": "Valid", "value": permit.period_label},
            ]
        context["title_text"] = {
            "booked": self.done_title,
            "unpaid": "Your payment was not taken",
        }.get(context.get("state"), "Application received")
        context["account_link"] = "See your permits, bookings and payments"
        context["next_steps"] = self.next_steps
        return context


class GardenWasteBlock(AddressStepsMixin, PermitJourneyMixin, TransactionBlock):
    scheme = SnippetChooserBlock(
        "services.PermitScheme",
        help_text="The garden waste scheme: its price per bin, year and pro rata rule.",
    )

    kind_label = "permit"
    done_title = "Garden waste subscription confirmed"
    next_steps = (
        "If you do not have a brown bin yet, we will deliver one within 10 working "
        "days. Put it out by 7am on your collection day. We will email you before "
        "your subscription ends so you can renew it."
    )

    class Meta:
        group = "Transactions"
        icon = "bin"
        template = "services/blocks/booked_transaction.html"
        cacheable = False
        label = "Subscribe to garden waste collection"
        description = "Residents subscribe for the year, pay and get a permit number."
        preview_value = {"heading": "Subscribe to garden waste collection"}

    def bin_item(self, value):
        return value["scheme"].price_list.items.first()

    def item_code(self, value, state) -> str:
        item = self.bin_item(value)
        return item.code if item else ""

    def quantity(self, state) -> int:
        return int(state["answers"].get("bins", {}).get("bins") or 1)

    def get_steps(self, value, request, state):
        item = self.bin_item(value)
        scheme = value["scheme"]
        hint = f"Each bin costs {pounds(item.price) if item else ''} a year."
        if scheme.pro_rata and scheme.year_start_month:
            hint += (
                " If you join part-way through the year you pay for the months left."
            )
        return self.address_steps(state) + [
            Step(
                "bins",
                "How many garden waste bins do you want?",
                BinsForm,
                hint=hint,
                form_kwargs={"max_bins": item.max_quantity if item else 1},
            )
        ]

    def prefill(self, value, request, state):
        self.prefill_address(request, state)

    def clean_step(self, step, form, value, request, state):
        self.clean_address_step(step, form, state)
        if step.name in ("address", "bins"):
            self.check_address(value, request, state)

    def permit_address(self, request, state) -> dict:
        return {
            "address": self.address_label(state),
            "postcode": state["answers"]["postcode"]["postcode"],
            "uprn": state["answers"]["address"]["uprn"],
        }

    def check_address(self, value, request, state):
        from services.permits.actions import existing_permit

        scheme = value["scheme"]
        postcode = state["answers"]["postcode"]["postcode"]
        uprn = state["answers"]["address"]["uprn"]
        if not scheme.covers(postcode):
            raise SubmissionStopped(
                "We do not collect garden waste from this address",
                "The address is outside the areas we collect garden waste from.",
            )
        found = existing_permit(scheme=scheme, user=request.user, uprn=uprn)
        if found is not None:
            raise SubmissionStopped(
                "This address already has a garden waste subscription",
                f"Subscription {found.number} covers this address until "
                f"{found.valid_until:%-d %B %Y}. You can renew it from your account "
                "when it is due.",
            )

    def summary_rows(self, value, request, state):
        bins = self.quantity(state)
        return [
            {"key": "Address", "value": self.address_label(state), "step": "postcode"},
            {
                "key": "Garden waste bins",
                "value": "1 bin" if bins == 1 else f"{bins} bins",
                "step": "bins",
            },
        ] + self.price_rows(value, state)

    def process_submission(self, value, request, state, *, token):
        self.check_address(value, request, state)
        bins = self.quantity(state)
        return self.open_permit(
            value,
            request,
            state,
            token=token,
            answers={"bins": bins},
            summary=f"Garden waste subscription, {bins} bin{'s' if bins > 1 else ''}",
        )


class ResidentParkingPermitBlock(PermitJourneyMixin, TransactionBlock):
    scheme = SnippetChooserBlock(
        "services.PermitScheme",
        help_text="The resident parking scheme: its permit types, prices and zones.",
    )

    done_title = "Parking permit issued"
    next_steps = (
        "Your permit is digital: there is nothing to display. Civil enforcement "
        "officers check your vehicle registration. We will email you before your "
        "permit ends so you can renew it."
    )

    class Meta:
        group = "Transactions"
        icon = "key"
        template = "services/blocks/booked_transaction.html"
        cacheable = False
        label = "Apply for a resident parking permit"
        description = "Residents apply and pay for a permit for their vehicle."
        preview_value = {"heading": "Apply for a resident parking permit"}

    def types(self, value) -> list[dict]:
        return [
            {"code": i.code, "name": i.name, "price": i.price}
            for i in value["scheme"].price_list.items.all()
        ]

    def item_code(self, value, state) -> str:
        return state["answers"].get("type", {}).get("permit_type", "")

    def type_name(self, value, state) -> str:
        code = self.item_code(value, state)
        return next((t["name"] for t in self.types(value) if t["code"] == code), "")

    def get_steps(self, value, request, state):
        found = profile_address(request.user)
        hint = (
            f"The permit is for {found['address']}, the address in your account."
            if found
            else ""
        )
        return [
            Step(
                "type",
                "What type of permit do you need?",
                PermitTypeForm,
                hint=hint,
                form_kwargs={"types": self.types(value)},
            ),
            Step("vehicle", "What is the vehicle's registration number?", VehicleForm),
        ]

    def clean_step(self, step, form, value, request, state):
        if step.name == "type":
            self.check_address(value, request, state)
        elif step.name == "vehicle":
            self.check_vehicle(value, request, form.cleaned_data["registration"])

    def check_address(self, value, request, state):
        found = profile_address(request.user)
        if found is None:
            raise SubmissionStopped(
                "Add your address to your account first",
                "A resident parking permit is for the address in your account. Add "
                "your address in your account, then apply again.",
            )
        if not value["scheme"].covers(found["postcode"]):
            raise SubmissionStopped(
                "Your address is not in a residents' parking zone",
                f"{found['address']} is not in one of our residents' parking zones, "
                "so you cannot get a resident parking permit for it.",
            )

    def permit_address(self, request, state) -> dict:
        return profile_address(request.user) or {}

    def check_vehicle(self, value, request, registration):
        from services.permits.actions import display_registration, existing_permit

        found = existing_permit(
            scheme=value["scheme"], user=request.user, registration=registration
        )
        if found is not None:
            raise forms.ValidationError(
                f"{display_registration(registration)} already has a permit "
                f"({found.number}) until {found.valid_until:%-d %B %Y}"
            )

    def summary_rows(self, value, request, state):
        from services.permits.actions import display_registration

        answers = state["answers"]
        names = {t["code"]: t["name"] for t in self.types(value)}
        return [
            {
                "key": "Address",
                "value": self.permit_address(request, state).get("address", ""),
            },
            {
                "key": "Permit type",
                "value": names.get(self.item_code(value, state), ""),
                "step": "type",
            },
            {
                "key": "Vehicle",
                "value": display_registration(answers["vehicle"]["registration"]),
                "step": "vehicle",
            },
        ] + self.price_rows(value, state)

    def process_submission(self, value, request, state, *, token):
        self.check_address(value, request, state)
        registration = state["answers"]["vehicle"]["registration"]
        try:
            self.check_vehicle(value, request, registration)
        except forms.ValidationError as exc:
            raise SubmissionStopped(
                "This vehicle already has a permit", exc.messages[0]
            ) from exc
        return self.open_permit(
            value,
            request,
            state,
            token=token,
            answers={
                "permit_type": self.item_code(value, state),
                "vehicle_registration": registration,
            },
            # Not the registration: a case's summary outlives erasure.
            summary=f"Resident parking permit, {self.type_name(value, state)}",
        )
