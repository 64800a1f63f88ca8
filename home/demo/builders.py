"""Build the demo sites from the data files (``home.demo.loader``).

Everything is looked up before it is created (pages by slug under their parent, snippets
by name, users by username), and a page is only published again when its content
differs from the data, so running the build twice changes nothing the second time.

The build runs in phases so that pages can link to each other in any direction:

1. users and contact details;
2. every page exists (new pages are created as drafts), and contact details link to
   their online contact form pages;
3. the two Sites point at their home pages (and Wagtail's welcome page is deleted);
4. other apps amend the pages they add to (``demo_pages_ready``);
5. every page gets its content, with links resolved to page ids, and is published;
6. site settings, the alert banner and the moderation workflow;
7. other apps add their own demo records (``demo_content_loaded``).

Apps above ``home`` take part through the two signals, so this app never imports
them; ``personalisation`` (below ``home``) is connected to them in ``HomeConfig``.
Their receivers find demo pages by key with ``builder.page_for(key,
wanted_by=...)`` and change a page's content before it is published with
``builder.amend(key, change, wanted_by=...)``: a key that names no demo page stops
the build with ``DemoPageMissing``, saying who wanted it.
"""

import json
import os
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify

from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import AlertBanner, ContactDetails, SiteSettings

from .loader import CONTACT_PREFIX, PAGE_META_KEYS, REF_PREFIX, DemoData, load

# Sent inside the demo's transaction once every page exists (as a draft at least)
# and before any is published: receivers call ``builder.amend`` to add to pages
# (a transactional block, a personalised block). Receivers return summary lines.
demo_pages_ready = Signal()  # sender=DemoBuilder, builder=...
# Sent inside the demo's transaction once the sites are built, so apps that depend
# on home (My Account's demo residents) add their own demo data without home
# importing them. Receivers return lines for the summary.
demo_content_loaded = Signal()  # sender=DemoBuilder, builder=...

RICH_TEXT_REF = re.compile(r'id="ref:([a-z0-9-]+)"')
WELCOME_TITLE = "Welcome to your new Wagtail site!"
WORKFLOW_NAME = "Moderators approval"


@dataclass
class DemoConfig:
    hostname: str = "localhost"
    port: int = 8000
    microsite_hostname: str = "parks.localhost"

    @classmethod
    def from_env(cls) -> "DemoConfig":
        return cls(
            hostname=os.environ.get("DEMO_HOSTNAME", "127.0.0.1"),
            port=int(os.environ.get("DEMO_PORT", "8000")),
            microsite_hostname=os.environ.get(
                "DEMO_MICROSITE_HOSTNAME", "parks.localhost"
            ),
        )

    def url(self, hostname: str, path: str = "/") -> str:
        port = "" if self.port == 80 else f":{self.port}"
        return f"http://{hostname}{port}{path}"


@dataclass
class PageNode:
    """One page of the data, with what it inherits from its ancestors."""

    data: dict
    parent: "PageNode | None"
    owner: str
    contact_key: str | None
    page: Page | None = None
    created: bool = False
    children: list = field(default_factory=list)

    @property
    def model(self):
        return apps.get_model(self.data["model"])

    @property
    def slug(self) -> str:
        return self.data.get("slug") or slugify(self.data["title"])

    @property
    def key(self) -> str:
        return self.data.get("key") or self.slug


def strip_ids(value):
    """Stream data without the block ids Wagtail adds, for comparing content."""
    if isinstance(value, dict):
        is_block = "type" in value and "value" in value
        return {
            k: strip_ids(v) for k, v in value.items() if not (is_block and k == "id")
        }
    if isinstance(value, list):
        return [strip_ids(v) for v in value]
    return value


def stream_fingerprint(stream_block, value) -> str:
    """Stream data in one canonical form, whatever form it was written in."""
    raw = (
        value.get_prep_value() if isinstance(value, StreamValue) else list(value or [])
    )
    stream_value = stream_block.to_python(
        json.loads(json.dumps(raw, cls=DjangoJSONEncoder))
    )
    list(stream_value)  # convert every block, so get_prep_value re-serialises them
    return json.dumps(
        strip_ids(stream_value.get_prep_value()), sort_keys=True, cls=DjangoJSONEncoder
    )


def field_fingerprint(obj, model_field):
    if isinstance(model_field, StreamField):
        return stream_fingerprint(
            model_field.stream_block, getattr(obj, model_field.name)
        )
    return getattr(obj, model_field.attname)


def review_date_for(key: str, dates: list):
    """A fixed review date per page, so some pages are due for review."""
    return dates[zlib.crc32(key.encode()) % len(dates)]


class DemoPageMissing(ImproperlyConfigured):
    """A demo page another part of the demo expects is not in the data."""

    def __init__(self, key: str, wanted_by: str | None = None):
        self.key = key
        self.wanted_by = wanted_by
        who = f"{wanted_by} expects" if wanted_by else "the demo data links to"
        super().__init__(
            f"The demo has no page with the key {key!r}, which {who}. Pages are "
            "keyed in home/demo/data/ by their key (or their slug, when they have "
            "no key)."
        )


class DemoBuilder:
    def __init__(
        self, config: DemoConfig | None = None, log=print, data: DemoData | None = None
    ):
        self.config = config or DemoConfig.from_env()
        self.data = data or load()
        self.log = log
        self.stats = Counter()
        self.users: dict[str, models.Model] = {}
        self.contacts: dict[str, ContactDetails] = {}
        self.nodes: dict[str, PageNode] = {}
        self.passwords: dict[str, str | None] = {}
        self.council_site: Site | None = None
        self.microsite: Site | None = None
        self.council_home = None
        self.parks_home = None
        self.extra_summary_lines: list[str] = []
        self.amendments: dict[str, list] = {}

    # ---------------------------------------------------------------- entry point

    def build(self):
        with transaction.atomic():
            self.ensure_users()
            self.ensure_contacts()
            root = Page.get_first_root_node()
            if root is None:
                raise ImproperlyConfigured(
                    "Wagtail's root page is missing: run migrate first."
                )
            welcome_pages = self.set_aside_welcome_pages(root)
            council = self.plan(self.data.council.home, None)
            parks = self.plan(self.data.parks.home, None)
            for tree in (council, parks):
                self.ensure_pages(root, tree)
            self.council_home, self.parks_home = council.page, parks.page
            self.ensure_contact_forms()
            self.ensure_sites()
            for page in welcome_pages:
                page.delete()
                self.stats["welcome page deleted"] += 1
            self.send(demo_pages_ready)
            for tree in (council, parks):
                self.publish_tree(tree)
            self.ensure_settings(self.council_site, self.data.council.settings)
            self.ensure_settings(self.microsite, self.data.parks.settings)
            self.ensure_alert()
            self.ensure_workflow(root)
            self.send(demo_content_loaded)
        return self

    def send(self, signal):
        for _receiver, lines in signal.send(sender=DemoBuilder, builder=self):
            self.extra_summary_lines += list(lines or [])

    # ---------------------------------------------------------------- for other apps

    def page_for(self, key: str, *, wanted_by: str | None = None) -> Page:
        """The demo page with ``key`` (specific); ``DemoPageMissing`` if there is
        none. ``wanted_by`` names who asks, for the error."""
        node = self.nodes.get(key)
        if node is None or node.page is None:
            raise DemoPageMissing(key, wanted_by)
        return node.page

    def amend(self, key: str, change, *, wanted_by: str):
        """Have ``change(fields)`` adjust the fields page ``key`` is published with
        (a dict of field name to value, streams as raw data with ids resolved); it
        returns the new dict. Changes apply on every build, so the page stays as
        amended and a second build finds nothing to publish."""
        self.page_for(key, wanted_by=wanted_by)
        self.amendments.setdefault(key, []).append(change)

    # ---------------------------------------------------------------- users and snippets

    def ensure_users(self):
        User = get_user_model()
        for spec in self.data.users:
            user = User.objects.filter(username=spec["username"]).first()
            password = os.environ.get(spec["password_env"]) or spec["password_default"]
            if user is None:
                create = (
                    User.objects.create_superuser
                    if spec["superuser"]
                    else User.objects.create_user
                )
                user = create(
                    username=spec["username"],
                    email=spec["email"],
                    password=password,
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                )
                self.passwords[spec["username"]] = password
                self.stats["users created"] += 1
            else:
                # Never touch an existing user's password.
                self.passwords[spec["username"]] = None
            for group_name in spec["groups"]:
                group = Group.objects.filter(name=group_name).first()
                if group is None:
                    self.log(
                        f"Warning: group {group_name!r} is missing; {user} not added."
                    )
                elif not user.groups.filter(pk=group.pk).exists():
                    user.groups.add(group)
                    self.stats["group memberships added"] += 1
            self.users[spec["username"]] = user

    def ensure_contacts(self):
        for key, data in self.data.contacts.items():
            # A form elsewhere is a URL; the council's own form is a page, linked
            # once the pages exist (ensure_contact_forms).
            values = {"contact_form_url": ""} | {
                name: value for name, value in data.items() if name != "contact_form"
            }
            contact = ContactDetails.objects.filter(name=values["name"]).first()
            if contact is None:
                contact = ContactDetails(**values)
                contact.full_clean()
                contact.save()
                self.stats["contacts created"] += 1
            elif any(getattr(contact, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(contact, name, value)
                contact.full_clean()
                contact.save()
                self.stats["contacts updated"] += 1
            self.contacts[key] = contact

    def ensure_contact_forms(self):
        """Point each contact card's "Contact us online" at its form page
        (``contact_form: page-key`` in the data)."""
        for key, data in self.data.contacts.items():
            form_key = data.get("contact_form")
            page = (
                self.page_for(form_key, wanted_by=f"the contact details {key!r}")
                if form_key
                else None
            )
            contact = self.contacts[key]
            if contact.contact_form_page_id != (page.pk if page else None):
                contact.contact_form_page = page
                contact.save(update_fields=["contact_form_page"])
                self.stats["contacts updated"] += 1

    # ---------------------------------------------------------------- page tree

    def plan(self, data: dict, parent: PageNode | None) -> PageNode:
        node = PageNode(
            data=data,
            parent=parent,
            owner=data.get("owner") or (parent.owner if parent else "admin"),
            contact_key=data.get("contact_key")
            or (parent.contact_key if parent else None),
        )
        if node.key in self.nodes:
            raise ImproperlyConfigured(f"Two demo pages have the key {node.key!r}.")
        self.nodes[node.key] = node
        node.children = [self.plan(child, node) for child in data.get("children", [])]
        return node

    def set_aside_welcome_pages(self, root) -> list[Page]:
        """Wagtail's stock welcome page holds the slug 'home': rename it until it is
        deleted (after the default Site no longer points at it)."""
        welcome_pages = [
            page
            for page in root.get_children().filter(title=WELCOME_TITLE)
            if type(page.specific) is Page
        ]
        for page in welcome_pages:
            Page.objects.filter(pk=page.pk).update(slug=f"wagtail-welcome-{page.pk}")
        return welcome_pages

    def ensure_pages(self, parent: Page, node: PageNode):
        """Find or create (as a draft) the page for ``node`` and its descendants."""
        existing = parent.get_children().filter(slug=node.slug).first()
        if existing is not None:
            page = existing.specific
            if not isinstance(page, node.model):
                raise ImproperlyConfigured(
                    f"{existing.url_path} is a {type(page).__name__}, "
                    f"expected {node.model.__name__}."
                )
        else:
            page = node.model(
                title=node.data["title"],
                slug=node.slug,
                live=False,
                has_unpublished_changes=True,
                owner=self.users["admin"],
            )
            parent.add_child(instance=page)
            node.created = True
            self.stats["pages created"] += 1
        node.page = page
        for child in node.children:
            self.ensure_pages(page, child)

    def resolve(self, value):
        """Replace page and contact references in data with ids."""
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.resolve(v) for v in value]
        if isinstance(value, str):
            if value.startswith(REF_PREFIX):
                return self.page_for(value[len(REF_PREFIX) :]).pk
            if value.startswith(CONTACT_PREFIX):
                return self.contacts[value[len(CONTACT_PREFIX) :]].pk
            if 'id="ref:' in value:
                return RICH_TEXT_REF.sub(
                    lambda m: f'id="{self.page_for(m.group(1)).pk}"', value
                )
        return value

    def desired_fields(self, node: PageNode) -> dict:
        model = node.model
        values = {k: v for k, v in node.data.items() if k not in PAGE_META_KEYS}
        values["content_owner"] = self.users[node.owner]
        values["review_date"] = node.data.get("review_date") or review_date_for(
            node.key, self.data.review_dates
        )
        field_names = {f.name for f in model._meta.get_fields()}
        if "contact" in field_names and node.contact_key and "contact" not in values:
            values["contact"] = self.contacts[node.contact_key]
        resolved = {}
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            if isinstance(model_field, models.ForeignKey) and isinstance(value, str):
                value = self.page_for(value[len(REF_PREFIX) :])
            elif isinstance(model_field, StreamField):
                value = self.resolve(value)
            resolved[name] = value
        for change in self.amendments.get(node.key, []):
            resolved = change(resolved)
        return resolved

    def apply_parts(self, page, parts_data) -> bool:
        """Replace a guide's parts when they differ from the data."""
        part_model = page._meta.get_field("parts").related_model
        body_block = part_model._meta.get_field("body").stream_block
        wanted = [(part["title"], self.resolve(part["body"])) for part in parts_data]
        current = [(part.title, part.body) for part in page.parts.all()]
        same = len(wanted) == len(current) and all(
            w_title == c_title
            and stream_fingerprint(body_block, w_body)
            == stream_fingerprint(body_block, c_body)
            for (w_title, w_body), (c_title, c_body) in zip(
                wanted, current, strict=True
            )
        )
        if not same:
            page.parts = [
                part_model(title=title, body=body, sort_order=index)
                for index, (title, body) in enumerate(wanted)
            ]
        return not same

    def publish_tree(self, node: PageNode):
        page = node.page
        changed = False
        for name, value in self.desired_fields(node).items():
            model_field = page._meta.get_field(name)
            before = field_fingerprint(page, model_field)
            setattr(page, name, value)
            if field_fingerprint(page, model_field) != before:
                changed = True
        if "parts" in node.data and self.apply_parts(page, node.data["parts"]):
            changed = True
        if node.created and "date" in node.data and page.first_published_at is None:
            # Back-date news so 'latest news' and the news index agree on the order.
            page.first_published_at = timezone.make_aware(
                datetime.combine(node.data["date"], time(9, 30))
            )
        if changed or not page.live or page.has_unpublished_changes:
            admin = self.users["admin"]
            page.save_revision(user=admin, log_action=True).publish(user=admin)
            self.stats["pages published" if node.created else "pages updated"] += 1
        else:
            self.stats["pages unchanged"] += 1
        for child in node.children:
            self.publish_tree(child)

    # ---------------------------------------------------------------- sites and settings

    def ensure_sites(self):
        cfg = self.config
        self.council_site = self.ensure_site(
            self.council_home,
            cfg.hostname,
            cfg.port,
            self.data.council.settings["organisation_name"],
            default=True,
        )
        self.microsite = self.ensure_site(
            self.parks_home,
            cfg.microsite_hostname,
            cfg.port,
            self.data.parks.settings["organisation_name"],
            default=False,
        )

    def ensure_site(self, root_page, hostname, port, name, *, default) -> Site:
        site = (
            Site.objects.filter(root_page=root_page).first()
            or Site.objects.filter(hostname=hostname, port=port).first()
            or (Site.objects.filter(is_default_site=True).first() if default else None)
        )
        if site is None:
            site = Site()
        wanted = {
            "hostname": hostname,
            "port": port,
            "site_name": name,
            "root_page_id": root_page.pk,
            "is_default_site": default,
        }
        if site.pk and all(getattr(site, k) == v for k, v in wanted.items()):
            return site
        if default:
            Site.objects.filter(is_default_site=True).exclude(pk=site.pk).update(
                is_default_site=False
            )
        for k, v in wanted.items():
            setattr(site, k, v)
        self.stats["sites created" if site.pk is None else "sites updated"] += 1
        site.save()
        return site

    def ensure_settings(self, site: Site, data: dict):
        settings = SiteSettings.for_site(site)
        changed = False
        for name, value in data.items():
            model_field = SiteSettings._meta.get_field(name)
            before = field_fingerprint(settings, model_field)
            setattr(settings, name, self.resolve(value))
            if field_fingerprint(settings, model_field) != before:
                changed = True
        if changed:
            settings.full_clean()
            settings.save()
            self.stats["site settings updated"] += 1

    def ensure_alert(self):
        data = self.data.alert
        now = timezone.now()
        message = self.resolve(data["message"])
        alert = AlertBanner.objects.filter(
            title=data["title"], site=self.council_site
        ).first()
        if alert is None:
            alert = AlertBanner(title=data["title"], site=self.council_site, live=False)
        showing = (
            alert.pk
            and alert.live
            and not alert.has_unpublished_changes
            and alert.starts_at <= now
            and alert.ends_at is not None
            and alert.ends_at > now
        )
        if showing and alert.message == message and alert.severity == data["severity"]:
            return
        created = alert.pk is None
        alert.message = message
        alert.severity = data["severity"]
        if not showing:
            alert.starts_at = now - timedelta(days=1)
            alert.ends_at = now + timedelta(days=365)
        alert.full_clean()
        alert.save()
        admin = self.users["admin"]
        alert.save_revision(user=admin, log_action=True).publish(user=admin)
        self.stats["alerts published" if created else "alerts updated"] += 1

    def ensure_workflow(self, root: Page):
        """Wagtail's default 'Moderators approval' workflow, active, on the root page so
        it covers both sites: an editor's changes need a moderator's approval."""
        workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
            self.stats["workflows created"] += 1
        elif not workflow.active:
            workflow.active = True
            workflow.save(update_fields=["active"])
            self.stats["workflows activated"] += 1
        if not WorkflowTask.objects.filter(workflow=workflow).exists():
            task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
            if task is None:
                task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
            moderators = Group.objects.filter(name="Moderators").first()
            if moderators:
                task.groups.add(moderators)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            self.stats["workflow tasks added"] += 1
        assignment = WorkflowPage.objects.filter(page=root).first()
        if assignment is None:
            WorkflowPage.objects.create(page=root, workflow=workflow)
            self.stats["workflow assignments"] += 1
        elif assignment.workflow_id != workflow.pk:
            assignment.workflow = workflow
            assignment.save()
            self.stats["workflow assignments"] += 1

    # ---------------------------------------------------------------- report

    def live_page_count(self, home) -> int:
        return Page.objects.live().descendant_of(home, inclusive=True).count()

    def summary_lines(self) -> list[str]:
        cfg = self.config
        lines = ["", "Summary:"]
        if self.stats:
            lines += [
                f"  {name}: {count}" for name, count in sorted(self.stats.items())
            ]
        lines += [
            "",
            f"Council site ({self.live_page_count(self.council_home)} live pages): "
            f"{cfg.url(cfg.hostname)}",
            f"Microsite ({self.live_page_count(self.parks_home)} live pages): "
            f"{cfg.url(cfg.microsite_hostname)}",
            f"Admin: {cfg.url(cfg.hostname, '/admin/')}",
            "",
            "Users:",
        ]
        for spec in self.data.users:
            username = spec["username"]
            password = self.passwords.get(username)
            role = "superuser" if spec["superuser"] else ", ".join(spec["groups"])
            # Everyone signs in with their email address (allauth).
            who = f"{username:<10} {spec['email']:<30}"
            if password:
                lines.append(f"  {who} password: {password:<26} ({role}, created)")
            else:
                lines.append(
                    f"  {who} already existed, password not changed "
                    f"(demo default: {spec['password_default']}; {role})"
                )
        return lines + self.extra_summary_lines
