"""What the permit journeys share (``garden_waste.GardenWasteBlock``,
``parking_permit.ResidentParkingPermitBlock``): the price and period worked out
on the server from the scheme (``services.permits.actions.quote``), the case, a
pending permit and its payment, and a confirmation with the permit number once
paid.

Both need an account: the permit is renewed from My Account (or the reminder
email's link to it) each year.
"""

from __future__ import annotations

from services.blocks.bookings import PaidJourneyMixin, booking_confirmation
from services.blocks.transactions import SubmissionStopped
from services.models.payments import pounds


class PermitJourneyMixin(PaidJourneyMixin):
    """What both permit journeys share: signed-in residents only, the price and
    period from the scheme, the case, the pending permit and its payment, and a
    confirmation read from the database."""

    kind_label = "permit"

    def can_use(self, value, request, caller=None) -> bool:
        return bool(value["service"] and request.user.is_authenticated)

    def entry_context(self, value, request, page, block_id, caller=None) -> dict:
        """A permit is for an account's address: a visitor signs in first."""
        context = super().entry_context(value, request, page, block_id, caller)
        if not context["signed_in"] and caller is None:
            context["mode"] = "sign_in"
        return context

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
