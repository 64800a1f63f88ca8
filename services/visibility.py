"""What a member of staff may see of a case's personal data.

Council staff whose team owns a case (and superusers) see everything. Staff of an
outside partner (a ``PartnerGroup``) see a case routed to them as the work needs
it: the problem, its place (map pin, location description, photos) and its
timeline, but the resident's name, email address and phone number only when the
service definition says ``partner_sees_contact_details``, and the address,
postcode and UPRN only when it says ``partner_sees_address``. Where those values
turn up in free text (answers, notes, a satisfaction comment) they are blanked
out for the partner too.

Every admin page, list and search that shows cases to staff goes through
``CaseVisibility``: one query for the user's groups, then nothing per case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q

from frontend.formats import normalise_postcode
from services.enums import CaseEventKind
from services.models.cases import OPEN_ON_BEHALF

HIDDEN = "Not shared with partners"
REDACTED = "[not shared]"
# Entries whose actor is a resident (the case's own, or another who follows it).
RESIDENT_EVENTS = {CaseEventKind.FOLLOWED, CaseEventKind.SATISFACTION}
# A search that finds at most this many cases hands their ids to the list's query;
# more, and the list reads them as a subquery.
FOUND_AS_IDS = 2000


def found_cases(found, *, otherwise: Q | None = None) -> Q:
    """The cases a search found (a queryset of cases or case ids), as a
    condition for a list ordered and counted by other columns.

    PostgreSQL cannot estimate how many rows a trigram ``LIKE`` finds: a rare
    name ("Lili Jesbott", a hundred cases of two million) is planned as if it
    found twenty thousand, and the list then walks every case in its order, or
    hashes the whole table, looking for them (seconds at a council's size). So
    the ids are read first, through the search's own indexes, and the list gets
    them as a list of ids, which it plans exactly. A search that finds more than
    ``FOUND_AS_IDS`` (a common word) is left to the list: ``otherwise`` (the
    search as a condition on the list's own rows, so walking the list's order
    finds a page of them quickly), or else the search as a subquery."""
    ids = list(found.values_list("pk", flat=True)[: FOUND_AS_IDS + 1])
    if len(ids) <= FOUND_AS_IDS:
        return Q(pk__in=ids)
    return otherwise if otherwise is not None else Q(pk__in=found.values("pk"))


class CaseVisibility:
    """Decides, for one member of staff, how each case is shown to them."""

    def __init__(self, user):
        self.user = user
        # Contact-centre staff serve every caller: they see every case in full.
        self.everything = bool(user.is_superuser or user.has_perm(OPEN_ON_BEHALF))
        self.group_ids = (
            set() if self.everything else set(user.groups.values_list("pk", flat=True))
        )

    def sees_all_of(self, case) -> bool:
        return self.everything or case.team_id in self.group_ids

    def of(self, case) -> ShownCase:
        if self.sees_all_of(case):
            return ShownCase(case, contact=True, address=True)
        return ShownCase(
            case,
            contact=case.service.partner_sees_contact_details,
            address=case.service.partner_sees_address,
        )

    def search_branches(self, text: str) -> list[Q]:
        """The staff search box's case matches as a few conditions, each of which
        one index answers (run one query per condition and merge): a reference
        (prefix), an email address or phone number (the case's contact), a
        postcode, a UPRN, or a name or address (trigram indexes on PostgreSQL).
        Contact details and addresses only where this user may see them, as in
        ``search``."""
        from services.contacts import looks_like_phone, normalise_email, normalise_phone

        text = text.strip()
        contact_ok = address_ok = Q()
        if not self.everything:
            own = Q(team_id__in=self.group_ids)
            contact_ok = own | Q(service__partner_sees_contact_details=True)
            address_ok = own | Q(service__partner_sees_address=True)
        if re.fullmatch(r"[A-Za-z]{2,6}-[0-9-]*", text):
            return [Q(reference__startswith=text.upper())]
        if "@" in text:
            return [
                contact_ok
                & Q(
                    contact__points__kind="email",
                    contact__points__value=normalise_email(text),
                )
            ]
        branches = []
        if postcode := normalise_postcode(text):
            branches.append(address_ok & Q(postcode=postcode))
        if looks_like_phone(text):
            phone = normalise_phone(text)
            if phone.startswith("0"):
                branches.append(
                    contact_ok
                    & Q(contact__points__kind="phone", contact__points__value=phone)
                )
            else:
                branches.append(address_ok & Q(uprn=text.replace(" ", "")))
            return branches
        if len(text) >= 3:
            branches.append(contact_ok & Q(contact__name__icontains=text))
            branches.append(address_ok & Q(address__icontains=text))
        return branches

    def search(self, text: str) -> Q:
        """The case list's search: cases matching ``text`` only through what this
        user may see of them.

        One query per kind of match, each answered by one index, as one ``UNION``
        subquery of case ids (so the list's filters, order and count read only the
        cases found): a reference by prefix ("BIN" or "BIN-2026-00"); an email
        address or phone number through the case's contact (an account's contact
        holds its email address), normalised as the staff search does; a postcode
        however it is typed; a UPRN; a name (the contact's, the one given on the
        case, the account's) or an address, three letters or more, by trigram
        indexes on PostgreSQL. The ids found are read first (``found_cases``)."""
        from django.contrib.auth import get_user_model

        from services.contacts import looks_like_phone, normalise_email, normalise_phone
        from services.models import Case

        text = text.strip()
        contact_ok = address_ok = Q()
        if not self.everything:
            own = Q(team_id__in=self.group_ids)
            contact_ok = own | Q(service__partner_sees_contact_details=True)
            address_ok = own | Q(service__partner_sees_address=True)
        accounts = get_user_model().objects.order_by()
        branches = []
        if re.fullmatch(r"[A-Za-z]{2,6}(-[0-9-]*)?", text):
            branches.append(Q(reference__startswith=text.upper()))
        if "@" in text:
            email = normalise_email(text)
            branches.append(
                contact_ok
                & Q(contact__points__kind="email", contact__points__value=email)
            )
        else:
            if postcode := normalise_postcode(text):
                branches.append(address_ok & Q(postcode=postcode))
            if text.isdigit():
                branches.append(address_ok & Q(uprn=text))
            if looks_like_phone(text) and (phone := normalise_phone(text)):
                branches.append(
                    contact_ok
                    & Q(contact__points__kind="phone", contact__points__value=phone)
                )
            if len(text) >= 3 and not re.fullmatch(r"[A-Za-z]{2,6}-[0-9-]+", text):
                named = accounts.filter(
                    Q(first_name__icontains=text) | Q(last_name__icontains=text)
                ).values("pk")
                branches += [
                    contact_ok & Q(contact__name__icontains=text),
                    contact_ok & Q(contact_name__icontains=text),
                    contact_ok & Q(resident__in=named),
                    address_ok & Q(address__icontains=text),
                ]
        if not branches:
            return Q(pk__in=[])
        found = [Case.objects.filter(b).values("pk").order_by() for b in branches]
        return found_cases(found[0].union(*found[1:]) if len(found) > 1 else found[0])


@dataclass
class ShownCase:
    """A case's personal details as one member of staff may see them."""

    case: object
    contact: bool
    address: bool

    # -- who
    @property
    def resident(self) -> str:
        case = self.case
        if not self.contact:
            return HIDDEN
        if case.resident_id and case.resident:
            name = case.resident.get_full_name() or case.resident.get_username()
            return f"{name} ({case.resident.email})" if case.resident.email else name
        return " ".join(p for p in ("Guest:", case.contact_name, case.guest_email) if p)

    @property
    def resident_name(self) -> str:
        case = self.case
        if not self.contact:
            return HIDDEN
        if case.resident_id and case.resident:
            return case.resident.get_full_name() or case.resident.get_username()
        return case.contact_name or "Guest"

    @property
    def phone(self) -> str:
        return self.case.contact_phone if self.contact else ""

    # -- where
    @property
    def postcode(self) -> str:
        return self.case.postcode if self.address else ""

    @property
    def uprn(self) -> str:
        return self.case.uprn if self.address else ""

    @property
    def where(self) -> str:
        case = self.case
        parts = [case.address if self.address else "", case.location_description]
        if case.latitude is not None and case.longitude is not None:
            parts.append(f"map pin {case.latitude}, {case.longitude}")
        return " — ".join(p for p in parts if p)

    # -- free text
    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) pairs in words (``services.case_answers``)."""
        from services.case_answers import question_rows

        answers = self.case.answers if isinstance(self.case.answers, dict) else {}
        if not self.address:
            answers = {k: v for k, v in answers.items() if k != "uprn"}
        return [
            (question, self.redact(answer))
            for question, answer in question_rows(answers)
        ]

    def actor(self, event) -> str:
        actor = event.actor
        if actor is None:
            return "System"
        resident_entry = event.kind in RESIDENT_EVENTS or (
            event.actor_id == self.case.resident_id
        )
        if resident_entry and not self.contact:
            return "Resident"
        return actor.get_full_name() or actor.get_username()

    def redact(self, text: str) -> str:
        for pattern in self._hidden_patterns:
            text = pattern.sub(REDACTED, text)
        return text

    @cached_property
    def _hidden_patterns(self) -> list[re.Pattern]:
        case = self.case
        values = []
        if not self.contact:
            values += [case.guest_email, case.contact_name]
            if case.resident_id and case.resident:
                resident = case.resident
                values += [
                    resident.email,
                    resident.get_full_name(),
                    resident.first_name,
                    resident.last_name,
                ]
        if not self.address:
            values += [case.address, case.postcode, case.uprn]
        patterns = [
            re.compile(re.escape(v.strip()), re.IGNORECASE)
            for v in sorted({v for v in values if v and len(v.strip()) >= 3}, key=len)[
                ::-1
            ]
        ]
        if not self.contact and case.contact_phone:
            digits = re.sub(r"\D", "", case.contact_phone)
            if len(digits) >= 6:
                # The same number however it was spaced or written (+44 …).
                local = digits[1:] if digits.startswith("0") else digits
                patterns.append(
                    re.compile(r"(?:\+?44\s*\(?0?\)?|0)?" + r"\D?".join(local))
                )
        return patterns
