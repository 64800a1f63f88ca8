"""Search's part of the demo council: synonyms for council vocabulary, best bets and
a few documents. Added by ``manage.py load_demo`` (through ``demo_content_loaded``);
running it again changes nothing."""

from django.core.files.base import ContentFile

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model

from search.models import Synonym

# (what residents type, what the council calls it)
SYNONYMS = [
    (
        "tip, dump, the tip, rubbish tip, household tip, recycling centre",
        "household waste recycling centre",
    ),
    ("ctax, c tax, counciltax", "council tax"),
    ("pot hole, pot holes, road defect, hole in the road", "pothole"),
    ("rubbish, refuse, trash, garbage, wheelie bin", "bin"),
    ("missed collection, bin not collected, bin not emptied", "missed bin"),
    ("sofa, furniture, mattress, fridge, large items", "bulky waste"),
    ("brown bin", "garden waste"),
    ("street light, streetlight, lamp post, lamppost", "street lighting"),
    ("pcn, parking ticket, penalty charge", "parking fine"),
    ("disabled parking, disabled badge", "blue badge"),
    ("ctr, council tax support, council tax benefit", "council tax reduction"),
    ("single person discount, spd", "council tax discounts"),
    ("council house, council flat, housing list, housing register", "social housing"),
    ("homeless, homelessness, nowhere to live", "homeless"),
    ("snow, ice, salt bin, grit bin", "gritting"),
    ("e-books, ebook, audiobooks, audio books", "ebooks"),
    ("wifi, wi fi, internet, printing", "computers and wi-fi"),
    ("building regs, building control", "building regulations"),
    ("extension, loft conversion, conservatory", "planning permission"),
    ("wedding, civil ceremony, getting married", "marriage"),
    ("birth certificate, death certificate, marriage certificate", "certificate"),
    ("bereavement, someone died, died", "someone dies"),
    ("passport, naturalisation, citizenship", "citizenship ceremony"),
    ("move house, moving house, change of address, new address", "moving home"),
    ("library card, join library, borrow books", "join the library"),
    ("dropped curb, dropped kerb, crossover, vehicle crossing", "dropped kerb"),
    ("road closure, roadworks, road works, diversion", "roadworks"),
    ("council tax band, valuation band", "council tax bands"),
    ("complaint, complain", "contact us"),
]

# query -> [(demo page key, description)]
BEST_BETS = {
    "council tax": [
        (
            "pay-your-council-tax",
            "Pay online, by Direct Debit, by phone or at a Post Office.",
        ),
    ],
    "bins": [
        (
            "check-your-bin-collection-day",
            "Find out which day your bins are collected.",
        ),
    ],
    "covid": [
        (
            "contact-us",
            "Coronavirus support from the council has ended. Contact us if you need help.",
        ),
    ],
}

DOCUMENTS = [
    (
        "Council tax bands and charges 2026 to 2027",
        "A table of the council tax charge for each valuation band, A to H, including parish precepts.",
        "council-tax-charges-2026-27.pdf",
    ),
    (
        "Guildhall Local Plan: consultation draft",
        "The draft Local Plan to 2045: where new homes, jobs and green spaces should go. Comment during the consultation.",
        "local-plan-consultation-draft.pdf",
    ),
    (
        "Household waste recycling centres leaflet",
        "Opening times, what you can take to the tip and how to book a visit, as a printable leaflet.",
        "recycling-centres-leaflet.pdf",
    ),
    (
        "Street trading policy",
        "The council's policy on street trading licences, pitches and fees.",
        "street-trading-policy.pdf",
    ),
]


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text``: enough to serve and download in the demo."""
    safe = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def ensure_synonyms() -> int:
    created = 0
    for terms, means in SYNONYMS:
        _obj, was_created = Synonym.objects.get_or_create(
            means=means, defaults={"terms": terms}
        )
        if not was_created and _obj.terms != terms:
            _obj.terms = terms
            _obj.save()
        created += was_created
    return created


def ensure_best_bets(builder) -> int:
    created = 0
    for query_string, picks in BEST_BETS.items():
        query = Query.get(query_string)
        for order, (key, description) in enumerate(picks):
            page = builder.page_for(
                key, wanted_by=f"search (best bet for {query_string!r})"
            )
            _obj, was_created = SearchPromotion.objects.update_or_create(
                query=query,
                page=page,
                defaults={"description": description, "sort_order": order},
            )
            created += was_created
    return created


def ensure_documents() -> int:
    Document = get_document_model()
    created = 0
    for title, description, filename in DOCUMENTS:
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title, description=description)
            document.file.save(filename, ContentFile(tiny_pdf(title)), save=False)
            document.save()
            created += 1
        elif document.description != description:
            document.description = description
            document.save()
    return created


def load(builder) -> list[str]:
    synonyms = ensure_synonyms()
    best_bets = ensure_best_bets(builder)
    documents = ensure_documents()
    return [
        f"Search: {len(SYNONYMS)} synonyms ({synonyms} new), best bets for "
        f"{len(BEST_BETS)} queries ({best_bets} new), {len(DOCUMENTS)} documents "
        f"({documents} new)."
    ]
