"""My Account's own pages. Every one starts from ``request.user``: an id in a URL is
only ever looked up among the signed-in resident's own records, so anything else
is a 404."""

from __future__ import annotations

import json
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Site

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress

from home.platform.ratelimit import allow, allow_for
from myaccount import actions
from myaccount.exports import section_label
from myaccount.forms import (
    ChooseAddressForm,
    ContactPreferencesForm,
    CouncilTaxLinkForm,
    DeleteAccountForm,
    InvitationForm,
    OrganisationForm,
    PostcodeForm,
    ProfileForm,
)
from myaccount.integrations.address_lookup import AddressLookupError, get_address_lookup
from myaccount.models import (
    CouncilTaxLink,
    MyAccountPage,
    OrganisationInvitation,
    OrganisationMembership,
    Profile,
)


def resident_view(view):
    """Signed in, never cached, GET/POST only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return login_required(never_cache(require_http_methods(["GET", "POST"])(wrapper)))


def _render(request, template, context=None, status=200):
    context = {
        "section": template.rsplit("/", 1)[-1].removesuffix(".html"),
        **(context or {}),
    }
    return render(request, f"myaccount/account/{template}", context, status=status)


def dashboard_url(request) -> str | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    page = MyAccountPage.objects.live().descendant_of(site.root_page).first()
    return page.get_url(request) if page else None


@resident_view
def home(request):
    """Where sign-in lands: the site's My Account page, or the profile without one."""
    return HttpResponseRedirect(dashboard_url(request) or reverse("myaccount:profile"))


# ------------------------------------------------------------------ profile


@resident_view
def profile(request):
    profile = Profile.objects.filter(user=request.user).first() or Profile(
        user=request.user
    )
    emails = EmailAddress.objects.filter(user=request.user)
    return _render(request, "profile.html", {"profile": profile, "emails": emails})


@resident_view
def profile_edit(request):
    profile = actions.profile_for(request.user)
    initial = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "phone": profile.phone,
        "language": profile.language,
    }
    form = ProfileForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            actions.update_profile(user=request.user, **form.cleaned_data)
            messages.success(request, "Your details have been updated")
            return HttpResponseRedirect(reverse("myaccount:profile"))
        return _render(request, "profile_edit.html", {"form": form}, status=400)
    return _render(request, "profile_edit.html", {"form": form})


@resident_view
def address(request):
    """Step 1 of the address lookup: the postcode (a GET form, so it works without
    JavaScript and the browser's back button returns to it)."""
    form = PostcodeForm(request.GET if "postcode" in request.GET else None)
    if form.is_bound and form.is_valid():
        query = "?" + urlencode({"postcode": form.cleaned_data["postcode"]})
        return HttpResponseRedirect(reverse("myaccount:address_choose") + query)
    status = 400 if form.is_bound else 200
    return _render(request, "address.html", {"form": form}, status=status)


@resident_view
def address_choose(request):
    """Step 2: choose the address at that postcode; stored with its UPRN."""
    postcode_form = PostcodeForm(
        {"postcode": request.POST.get("postcode") or request.GET.get("postcode", "")}
    )
    if not postcode_form.is_valid():
        return HttpResponseRedirect(reverse("myaccount:address"))
    postcode = postcode_form.cleaned_data["postcode"]
    try:
        addresses = get_address_lookup().find(postcode)
    except AddressLookupError:
        return _render(
            request, "address_unavailable.html", {"postcode": postcode}, status=503
        )
    form = ChooseAddressForm(
        request.POST if request.method == "POST" else None,
        addresses=addresses,
        initial={"postcode": postcode},
    )
    if request.method == "POST" and form.is_valid():
        actions.set_address(
            user=request.user, address=form.addresses[form.cleaned_data["uprn"]]
        )
        messages.success(request, "Your address has been updated")
        return HttpResponseRedirect(reverse("myaccount:profile"))
    status = 400 if form.is_bound else 200
    return _render(
        request,
        "address_choose.html",
        {"form": form, "postcode": postcode, "addresses": addresses},
        status=status,
    )


@resident_view
def contact_preferences(request):
    profile = actions.profile_for(request.user)
    channels = [
        c
        for c, on in (
            ("email", profile.contact_by_email),
            ("sms", profile.contact_by_sms),
        )
        if on
    ]
    form = ContactPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"channels": channels, "topics": profile.contact_topics},
        has_phone=bool(profile.phone),
    )
    if request.method == "POST":
        if form.is_valid():
            actions.update_contact_preferences(user=request.user, **form.cleaned_data)
            messages.success(request, "Your contact preferences have been updated")
            return HttpResponseRedirect(reverse("myaccount:profile"))
        return _render(request, "contact.html", {"form": form}, status=400)
    return _render(request, "contact.html", {"form": form})


# ------------------------------------------------------------------ council tax


@resident_view
def council_tax_link(request):
    form = CouncilTaxLinkForm(request.POST if request.method == "POST" else None)
    links = CouncilTaxLink.objects.for_resident(request.user)
    context = {"form": form, "links": links}
    if request.method == "POST":
        valid = form.is_valid()
        if not _council_tax_attempt_allowed(
            request, form.cleaned_data.get("account_number") if valid else None
        ):
            form.add_error(
                None,
                "You have tried to link an account too many times. Wait an hour and try again, or contact us",
            )
            return _render(request, "council_tax_link.html", context, status=429)
        if valid:
            link = actions.link_council_tax(user=request.user, **form.cleaned_data)
            if link is not None:
                messages.success(request, "Your council tax account has been linked")
                return HttpResponseRedirect(reverse("myaccount:home"))
            form.add_error(
                None,
                "The account number and postcode do not match our records. Check your bill and try again",
            )
        return _render(request, "council_tax_link.html", context, status=400)
    return _render(request, "council_tax_link.html", context)


def _council_tax_attempt_allowed(request, account_number: str | None) -> bool:
    """One linking attempt counted three ways, each in the same window: per
    resident, per client (a second account from the same address shares its
    limit) and per council tax account (guessing one bill's postcode from many
    accounts and addresses). Every limit is counted on every attempt."""
    window = settings.COUNCIL_TAX_LINK_WINDOW_SECONDS
    allowed = [
        allow_for(
            str(request.user.pk),
            scope="counciltax-resident",
            limit=settings.COUNCIL_TAX_LINK_ATTEMPTS,
            window=window,
        ),
        allow(
            request,
            scope="counciltax-client",
            limit=settings.COUNCIL_TAX_LINK_CLIENT_ATTEMPTS,
            window=window,
        ),
    ]
    if account_number:
        allowed.append(
            allow_for(
                account_number,
                scope="counciltax-reference",
                limit=settings.COUNCIL_TAX_LINK_REFERENCE_ATTEMPTS,
                window=window,
            )
        )
    return all(allowed)


@resident_view
def council_tax_unlink(request, link_id: int):
    link = get_object_or_404(
        CouncilTaxLink.objects.for_resident(request.user), pk=link_id
    )
    if request.method == "POST":
        actions.unlink_council_tax(link=link)
        messages.success(request, "The council tax account is no longer linked")
        return HttpResponseRedirect(reverse("myaccount:home"))
    return _render(request, "council_tax_unlink.html", {"link": link})


# ------------------------------------------------------------------ your data


@resident_view
def your_data(request):
    return _render(request, "your_data.html")


@resident_view
def export_json(request):
    data = actions.export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="your-council-data.json"'
    return response


@resident_view
def export_html(request):
    data = actions.export_data(user=request.user)
    sections = [
        {"key": key, "label": section_label(key), "rows": _rows(value)}
        for key, value in data["sections"].items()
    ]
    return _render(
        request,
        "export.html",
        {
            "sections": sections,
            "generated_at": datetime.fromisoformat(data["generated_at"]),
        },
    )


def _rows(value) -> list[list[tuple[str, str]]]:
    """A section as a list of records, each a list of (label, text) pairs."""
    if value is None:
        return []
    records = value if isinstance(value, list) else [value]
    rows = []
    for record in records:
        if not isinstance(record, dict):
            rows.append([("Value", str(record))])
            continue
        pairs = []
        for name, item in record.items():
            if isinstance(item, dict):
                text = ", ".join(str(v) for v in item.values() if v)
            elif isinstance(item, list):
                text = ", ".join(str(v) for v in item)
            elif isinstance(item, bool):
                text = "Yes" if item else "No"
            else:
                text = "" if item is None else str(item)
            pairs.append((name.replace("_", " ").capitalize(), text or "None"))
        rows.append(pairs)
    return rows


@resident_view
@reauthentication_required(allow_get=True)
def delete_account(request):
    """Deleting asks for the password (or a second factor) again if the resident
    has not entered it in the last few minutes; allauth resumes the POST after."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            actions.delete_account(user=user)
            return HttpResponseRedirect(reverse("myaccount:deleted"))
        return _render(request, "delete.html", {"form": form}, status=400)
    return _render(request, "delete.html", {"form": form})


@never_cache
def deleted(request):
    return _render(request, "deleted.html")


@login_required
@never_cache
@require_POST
def sign_out_everywhere(request):
    actions.sign_out_everywhere(user=request.user, request=request)
    logout(request)
    messages.success(request, "You have been signed out on every device")
    return HttpResponseRedirect(reverse("account_login"))


# ------------------------------------------------------------------ organisations


@resident_view
def organisations(request):
    memberships = OrganisationMembership.objects.filter(
        user=request.user
    ).select_related("organisation")
    return _render(request, "organisations.html", {"memberships": memberships})


@resident_view
def organisation_create(request):
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            organisation = actions.create_organisation(
                user=request.user, **form.cleaned_data
            )
            messages.success(request, f"{organisation.name} has been registered")
            return HttpResponseRedirect(
                reverse("myaccount:organisation_detail", args=[organisation.pk])
            )
        return _render(request, "organisation_create.html", {"form": form}, status=400)
    return _render(request, "organisation_create.html", {"form": form})


@resident_view
def organisation_detail(request, organisation_id: int):
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation"),
        user=request.user,
        organisation_id=organisation_id,
    )
    organisation = membership.organisation
    form = InvitationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not membership.is_admin:
            raise Http404
        if form.is_valid():
            try:
                actions.invite_to_organisation(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    invited_by=request.user,
                    request=request,
                )
            except actions.InvitationLimitReached:
                form.add_error(
                    "email",
                    "You have sent as many invitations as we allow in a day. "
                    "Try again tomorrow",
                )
                status = 429
            except OSError:  # the mail server refused or could not be reached
                form.add_error(
                    "email",
                    "We could not send the invitation just now. Try again later",
                )
                status = 503
            else:
                messages.success(
                    request, f"Invitation sent to {form.cleaned_data['email']}"
                )
                return HttpResponseRedirect(request.path)
        else:
            status = 400
    context = {
        "membership": membership,
        "organisation": organisation,
        "members": organisation.memberships.select_related("user").order_by(
            "joined_at"
        ),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True)
        if membership.is_admin
        else [],
        "form": form,
    }
    return _render(request, "organisation_detail.html", context, status=status)


@resident_view
def organisation_leave(request, organisation_id: int):
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation"),
        user=request.user,
        organisation_id=organisation_id,
    )
    if request.method == "POST":
        actions.leave_organisation(membership=membership)
        messages.success(request, f"You have left {membership.organisation.name}")
        return HttpResponseRedirect(reverse("myaccount:organisations"))
    return _render(request, "organisation_leave.html", {"membership": membership})


@resident_view
def invitation_accept(request, token: str):
    """Only the invited address, verified on this account, can accept."""
    verified = EmailAddress.objects.filter(
        user=request.user, verified=True
    ).values_list("email", flat=True)
    invitation = get_object_or_404(
        OrganisationInvitation.objects.select_related("organisation"),
        token=token,
        accepted_at__isnull=True,
        email__in=[e.lower() for e in verified],
    )
    if request.method == "POST":
        actions.accept_invitation(invitation=invitation, user=request.user)
        messages.success(request, f"You have joined {invitation.organisation.name}")
        return HttpResponseRedirect(
            reverse("myaccount:organisation_detail", args=[invitation.organisation_id])
        )
    return _render(request, "invitation_accept.html", {"invitation": invitation})


# ------------------------------------------------------------------ bulletins


@csrf_exempt  # the signed link is the authority; mail clients POST it one-click
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop one topic's bulletins from a link in one, without signing in."""
    from myaccount import bulletins
    from myaccount.enums import ContactTopic

    found = bulletins.read_unsubscribe_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid")
    user_id, topic = found
    context = {"topic": ContactTopic(topic).label}
    if request.method == "POST":
        bulletins.unsubscribe(user_id=user_id, topic=topic)
        return _render(request, "unsubscribed.html", context)
    return _render(request, "unsubscribe.html", context)
