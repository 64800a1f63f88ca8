"""Whole-page variants per segment (wagtail-personalisation's), delivered safely.

As shipped, the library copies a variant next to its page (so it is listed in
menus, listings, the A to Z, sitemaps and search, and answers at its own URL),
creates a metadata row on the first view of every page (a write on a GET) and
serves variants from a hook that adds no ``Vary``, so a shared cache can hand one
person's variant to everyone. Here:

* a variant is copied into the **Page variants** folder, under the tree root and
  outside every site, so nothing that lists a site's pages can reach it and no
  URL routes to it; it is also never indexed for search and has no sitemap entry,
  and a variant moved into a site by hand still answers 404;
* which pages have live variants, for which segments, is loaded with the segment
  definitions (``personalisation.segments``: once per worker, reloaded when
  variants are created, deleted, published or unpublished), so a page with no
  variants costs nothing and one with variants no query until a variant is served;
* a page with variants depends on the visitor's segments, so the response is kept
  in the page cache per segment and sent private (``home.models.base``), and a
  signed-in resident's response is private and never shared.

Editors create a variant from the page's "Variants" button in the page listing
(the library's admin), edit and preview it like any page, and publish it.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.functional import cached_property

from wagtail_personalisation.models import (
    PersonalisablePageMetadata,
    PersonalisablePageMixin,
)

VARIANTS_FOLDER_SLUG = "page-variants"


def variants_folder():
    """The folder variants are kept in: a child of the tree root, in no site."""
    from wagtail.models import Page

    root = Page.get_first_root_node()
    folder = root.get_children().filter(slug=VARIANTS_FOLDER_SLUG).first()
    if folder is None:
        folder = root.add_child(
            instance=Page(
                title="Page variants (shown only through their pages)",
                slug=VARIANTS_FOLDER_SLUG,
                live=False,
                show_in_menus=False,
            )
        )
    return folder


class VariantMetadata(PersonalisablePageMetadata):
    """The library's page metadata, copying variants out of the site tree."""

    class Meta:
        proxy = True

    def copy_for_segment(self, segment):
        page = self.canonical_page
        with transaction.atomic():
            variant = page.specific.copy(
                to=variants_folder(),
                update_attrs={
                    "title": f"{page.title} ({segment.name})",
                    "slug": f"{page.slug}-{page.pk}-{segment.pk}",
                    "live": False,
                    "show_in_menus": False,
                },
                copy_revisions=False,
                keep_live=False,
            )
            VariantMetadata.objects.create(
                canonical_page=page, variant=variant, segment=segment
            )
        return variant


class PersonalisablePage(PersonalisablePageMixin):
    """Mixin for page types that may have whole-page variants per segment."""

    @cached_property
    def personalisation_metadata(self):
        """The library's metadata (created when an editor first needs it, in the
        admin: public views never ask), as ``VariantMetadata``."""
        try:
            metadata = self._personalisable_page_metadata
        except PersonalisablePageMetadata.DoesNotExist:
            metadata = VariantMetadata.objects.create(canonical_page=self, variant=self)
        metadata.__class__ = VariantMetadata
        return metadata

    @property
    def is_variant(self) -> bool:
        from personalisation.segments import page_variants

        return self.pk in page_variants().variant_ids

    def get_sitemap_urls(self, request=None):
        if self.is_variant:
            return []
        # Skip the library's version: it creates metadata rows while listing.
        return super(PersonalisablePageMixin, self).get_sitemap_urls(request=request)

    def get_indexed_instance(self):
        if self.is_variant:
            return None
        return super().get_indexed_instance()


def serve_variant(page, request, serve_args, serve_kwargs):
    """``before_serve_page``: a variant never answers at its own URL; a page with
    variants is served as the visitor's segment's variant, if there is one."""
    from wagtail.models import Page

    from personalisation.segments import evaluate, forced_segment, page_variants

    if not isinstance(page, PersonalisablePageMixin):
        return None
    variants = page_variants(request)
    if page.pk in variants.variant_ids:
        raise Http404
    by_segment = variants.by_page.get(page.pk)
    if not by_segment:
        return None
    forced = forced_segment(request)
    if forced is not None:
        request._segment_ids = frozenset({forced})
    segment_ids = evaluate(request)
    variant_id = next(
        (by_segment[s] for s in sorted(segment_ids) if s in by_segment), None
    )
    if variant_id is None:
        return None
    variant = Page.objects.filter(pk=variant_id, live=True).first()
    if variant is None:
        return None
    variant = variant.specific
    # Served at the page's own place: its URL, breadcrumbs and title (the
    # variant's title names its segment, for editors).
    variant.path, variant.depth, variant.url_path = page.path, page.depth, page.url_path
    variant.title = page.title
    return variant.serve(request, *serve_args, **serve_kwargs)
