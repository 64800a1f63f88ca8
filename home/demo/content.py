"""The Guildhall Borough Council demo site as plain data.

Every page is a dict: ``model``, ``title`` and optionally ``key`` (how other pages link
to it, default the slug), ``slug`` (default from the title), ``owner`` (a username,
inherited by child pages), ``review_date`` (default chosen from ``REVIEW_DATES`` by
key), ``children`` and ``parts`` (guide parts). Every other item is a model field.
Links to other demo pages use ``streams.page_link("<key>")``; contact details use
the keys of ``CONTACTS``.
"""

from datetime import date

from .streams import (
    accordion,
    call_to_action,
    contact,
    details,
    h2,
    h3,
    inset,
    links,
    page_link,
    para,
    related,
    step,
    table,
    tasks,
    url_link,
    video,
    warning,
)

ORGANISATION_NAME = "Guildhall Borough Council"
BRAND_COLOUR = "#00594f"
ADDRESS = "Guildhall Borough Council, Civic Centre, Market Street, Guildhall GH1 1AA"
VIDEO_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FORMS = "https://www.example.com/forms/"

# Fixed dates so that loading the demo again changes nothing. Pages whose date has
# passed (or falls within 30 days) appear in Reports > Pages due for review.
REVIEW_DATES = [
    date(2026, 5, 31),
    date(2026, 10, 31),
    date(2026, 12, 15),
    date(2027, 1, 31),
    date(2027, 2, 28),
    date(2027, 3, 31),
    date(2027, 4, 30),
    date(2027, 6, 30),
    date(2027, 9, 30),
    date(2027, 11, 30),
]

# Staff users. Passwords come from the environment (see builders.ensure_users).
USERS = [
    {
        "username": "admin",
        "first_name": "Sam",
        "last_name": "Okafor",
        "email": "sam.okafor@guildhall.example",
        "superuser": True,
        "groups": [],
        "password_env": "DEMO_ADMIN_PASSWORD",
        "password_default": "guildhall-admin-2026",
    },
    {
        "username": "editor",
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya.shah@guildhall.example",
        "superuser": False,
        "groups": ["Editors"],
        "password_env": "DEMO_EDITOR_PASSWORD",
        "password_default": "guildhall-editor-2026",
    },
    {
        "username": "moderator",
        "first_name": "Tom",
        "last_name": "Hughes",
        "email": "tom.hughes@guildhall.example",
        "superuser": False,
        "groups": ["Moderators"],
        "password_env": "DEMO_MODERATOR_PASSWORD",
        "password_default": "guildhall-moderator-2026",
    },
]

CIVIC_CENTRE = "Civic Centre\nMarket Street\nGuildhall\nGH1 1AA"
OFFICE_HOURS = "Monday to Thursday, 9am to 5pm\nFriday, 9am to 4:30pm"

CONTACTS = {
    "customer": {
        "name": "Customer services",
        "phone": "01632 960 000",
        "textphone": "18001 01632 960 000",
        "email": "customer.services@guildhall.example",
        "address": CIVIC_CENTRE,
        "opening_hours": OFFICE_HOURS,
        "contact_form_url": FORMS + "contact-us",
    },
    "waste": {
        "name": "Waste and recycling",
        "phone": "01632 960 101",
        "email": "waste@guildhall.example",
        "address": "Waste and recycling\nBrook Lane Depot\nGuildhall\nGH4 7PL",
        "opening_hours": OFFICE_HOURS,
        "contact_form_url": FORMS + "waste-enquiry",
    },
    "council_tax": {
        "name": "Council tax",
        "phone": "01632 960 202",
        "email": "counciltax@guildhall.example",
        "address": "Council tax\n" + CIVIC_CENTRE,
        "opening_hours": OFFICE_HOURS,
        "contact_form_url": FORMS + "council-tax-enquiry",
    },
    "highways": {
        "name": "Highways and street lighting",
        "phone": "01632 960 303",
        "email": "highways@guildhall.example",
        "address": "Highways\n" + CIVIC_CENTRE,
        "opening_hours": OFFICE_HOURS + "\nEmergencies: 24 hours a day",
        "contact_form_url": FORMS + "highways-enquiry",
    },
    "parking": {
        "name": "Parking services",
        "phone": "01632 960 404",
        "email": "parking@guildhall.example",
        "address": "Parking services\nPO Box 1066\nGuildhall\nGH1 9ZZ",
        "opening_hours": OFFICE_HOURS,
        "contact_form_url": FORMS + "parking-enquiry",
    },
    "planning": {
        "name": "Planning and building control",
        "phone": "01632 960 505",
        "email": "planning@guildhall.example",
        "address": "Planning and building control\n" + CIVIC_CENTRE,
        "opening_hours": "Monday to Friday, 9am to 1pm (duty planning officer by phone)",
        "contact_form_url": FORMS + "planning-enquiry",
    },
    "housing": {
        "name": "Housing services",
        "phone": "01632 960 606",
        "textphone": "18001 01632 960 606",
        "email": "housing@guildhall.example",
        "address": "Housing services\n" + CIVIC_CENTRE,
        "opening_hours": OFFICE_HOURS
        + "\nEmergency repairs and homelessness out of hours: 01632 960 699",
        "contact_form_url": FORMS + "housing-enquiry",
    },
    "libraries": {
        "name": "Libraries",
        "phone": "01632 960 707",
        "email": "libraries@guildhall.example",
        "address": "Guildhall Central Library\nSt Anne's Square\nGuildhall\nGH1 2LB",
        "opening_hours": "Monday to Friday, 9am to 7pm\nSaturday, 9am to 5pm\nSunday, 11am to 3pm",
        "contact_form_url": FORMS + "library-enquiry",
    },
    "register_office": {
        "name": "Guildhall Register Office",
        "phone": "01632 960 808",
        "email": "register.office@guildhall.example",
        "address": "Guildhall Register Office\nThe Old Courthouse\n14 Castle Street\nGuildhall\nGH1 3RO",
        "opening_hours": "Monday to Friday, 9am to 4:30pm (by appointment only)\n"
        "Saturday, ceremonies only",
        "contact_form_url": FORMS + "register-office-enquiry",
    },
    "parks": {
        "name": "Country parks ranger service",
        "phone": "01632 960 909",
        "email": "rangers@guildhall.example",
        "address": "Ranger Office\nRavensmoor Country Park\nMoor Road\nGuildhall\nGH6 4RP",
        "opening_hours": "Every day, 8:30am to 4:30pm (visitor centre 10am to 4pm)",
        "contact_form_url": FORMS + "country-parks-enquiry",
    },
}


def service(
    title,
    summary,
    body,
    *,
    start=None,
    start_text="Start now",
    related_links=(),
    key=None,
    slug=None,
    **extra,
):
    """A ServicePage in a service area (the area's contact is added by the builder)."""
    page = {
        "model": "services.ServicePage",
        "title": title,
        "summary": summary,
        "body": body,
        "related_links": links(*related_links),
        "start": links(start) if start else [],
        "start_button_text": start_text,
        **extra,
    }
    if key:
        page["key"] = key
    if slug:
        page["slug"] = slug
    return page


def area(key, title, summary, intro, owner, contact_key, top, children, body=()):
    return {
        "model": "services.ServiceLandingPage",
        "key": key,
        "title": title,
        "summary": summary,
        "intro": intro,
        "owner": owner,
        "contact_key": contact_key,
        "show_in_menus": True,
        "top_tasks": tasks(*top),
        "body": [*body, contact(contact_key)],
        "children": children,
    }


def standard(title, summary, body, key=None, **extra):
    page = {
        "model": "home.StandardPage",
        "title": title,
        "summary": summary,
        "body": body,
    }
    if key:
        page["key"] = key
    page.update(extra)
    return page


# ------------------------------------------------------------------------------------
# Bins, recycling and waste
# ------------------------------------------------------------------------------------

BINS = area(
    "bins",
    "Bins, recycling and waste",
    "Bin collection days, missed bins, the tip, bulky waste and garden waste.",
    "Find your collection day, report a missed bin and get rid of larger items safely.",
    "editor",
    "waste",
    [
        page_link("report-a-missed-bin-collection"),
        page_link("check-your-bin-collection-day"),
        page_link(
            "household-waste-recycling-centres",
            "Household waste recycling centres (the tip)",
        ),
        page_link("bulky-waste-collection", "Book a bulky waste collection"),
        page_link("garden-waste-collection", "Subscribe to garden waste collection"),
    ],
    [
        service(
            "Report a missed bin collection",
            "Tell us if your bin was not emptied on your collection day. We will collect it "
            "within 2 working days.",
            [
                para(
                    "<p>You can report a missed collection from 4pm on your collection day "
                    "until 5pm on the next working day.</p>"
                ),
                h2("Before you report a missed bin"),
                para(
                    "<p>Check that:</p><ul><li>your bin was out by 6:30am on your collection "
                    "day</li><li>your collection day has not changed because of a bank "
                    "holiday</li><li>the lid was closed and there was no extra waste on top "
                    "or beside it</li><li>the bin had the right things in it</li></ul>"
                ),
                inset(
                    "<p>If the crew could not empty your bin because it had the wrong things "
                    "in it, they will have left a tag on the handle explaining why. We will "
                    "not return to collect it.</p>"
                ),
                h2("What happens next"),
                para(
                    "<p>We will collect your bin within 2 working days. Leave it out at the "
                    "edge of your property until it has been emptied.</p>"
                ),
                details(
                    "If your bin is missed often",
                    "<p>If your bin has been missed 3 times in 3 months, you can ask for an "
                    "assisted collection review. We will check the crew's route and talk to "
                    "you about access to your property.</p>",
                ),
            ],
            start=url_link(FORMS + "missed-bin", "Report a missed bin"),
            start_text="Report a missed bin",
            related_links=[
                page_link("check-your-bin-collection-day"),
                page_link("what-goes-in-which-bin"),
            ],
        ),
        service(
            "Check your bin collection day",
            "Find out which day your rubbish, recycling and garden waste are collected.",
            [
                para(
                    "<p>Most homes have their rubbish (grey bin) and recycling (blue bin) "
                    "collected on alternate weeks. Food waste (green caddy) is collected every "
                    "week.</p>"
                ),
                h2("Bank holidays"),
                para(
                    "<p>Collections are usually one day later than normal in the week of a "
                    "bank holiday, including the Saturday. There are no collections on "
                    "Christmas Day, Boxing Day or New Year's Day.</p>"
                ),
                warning(
                    "Put your bins out by 6:30am on your collection day. The crews may come "
                    "earlier or later than usual."
                ),
                details(
                    "Get a reminder the night before",
                    "<p>You can sign up for a free email or text reminder the evening before "
                    "each collection when you check your collection day.</p>",
                ),
            ],
            start=url_link(FORMS + "bin-day", "Check your bin day"),
            start_text="Check your bin day",
            related_links=[page_link("report-a-missed-bin-collection")],
        ),
        service(
            "What goes in which bin",
            "Which bin to use for rubbish, recycling, food waste and garden waste.",
            [
                para(
                    "<p>Putting things in the right bin keeps recycling costs down. We cannot "
                    "recycle anything that is in the wrong bin.</p>"
                ),
                accordion(
                    (
                        "Blue bin: mixed recycling",
                        "Collected every 2 weeks",
                        "<ul><li>paper, newspapers and magazines</li><li>cardboard, flattened"
                        "</li><li>plastic bottles, pots, tubs and trays</li><li>food and drink "
                        "cans, aerosols and clean foil</li><li>glass bottles and jars</li></ul>"
                        "<p>Rinse containers and put everything in loose, not in bags.</p>",
                    ),
                    (
                        "Grey bin: rubbish",
                        "Collected every 2 weeks",
                        "<p>Anything that cannot be recycled, such as nappies, crisp packets, "
                        "plastic film and polystyrene.</p>",
                    ),
                    (
                        "Green caddy: food waste",
                        "Collected every week",
                        "<p>All cooked and uncooked food, including meat, fish, bones, tea bags "
                        "and coffee grounds. Use compostable liners or newspaper.</p>",
                    ),
                    (
                        "Brown bin: garden waste",
                        "For subscribers only",
                        "<p>Grass cuttings, leaves, hedge trimmings, small branches and weeds. "
                        "No soil, rubble or pet waste.</p>",
                    ),
                ),
                video("How to sort your recycling in Guildhall", VIDEO_URL),
                warning(
                    "Never put batteries or vapes in any bin. They cause fires in bin lorries "
                    "and at recycling plants."
                ),
                para(
                    "<p>Take batteries to a supermarket collection point or a "
                    "household waste recycling centre.</p>"
                ),
            ],
            related_links=[
                page_link("household-waste-recycling-centres"),
                url_link("https://www.recyclenow.com/", "Recycle Now"),
            ],
        ),
        service(
            "Household waste recycling centres",
            "Opening times, what you can take and how to book a visit to the tip.",
            [
                para(
                    "<p>There are 2 household waste recycling centres (tips) in the borough. "
                    "You must book a slot before you visit.</p>"
                ),
                table(
                    "Opening times",
                    [
                        [
                            "Site",
                            "Summer (April to September)",
                            "Winter (October to March)",
                        ],
                        ["Brook Lane, Guildhall GH4 7PL", "8am to 6pm", "8am to 4pm"],
                        [
                            "Ferry Road, Ashdown GH8 2FR",
                            "9am to 5pm, closed Wednesday",
                            "9am to 4pm, closed Wednesday",
                        ],
                    ],
                ),
                inset(
                    "<p>Both sites are closed on Christmas Day, Boxing Day and New Year's "
                    "Day.</p>"
                ),
                h2("What you can take"),
                para(
                    "<p>You can take most household waste, including garden waste, furniture, "
                    "electrical items, batteries, paint and cooking oil.</p>"
                ),
                h2("Vans, trailers and DIY waste"),
                para(
                    "<p>You need a van permit to bring a van, pick-up or trailer longer than "
                    "1.8 metres. Up to 3 bags of DIY waste such as rubble or plasterboard are "
                    "free each week; more than that is charged.</p>"
                ),
                warning(
                    "We do not accept trade waste. Businesses must use a licensed waste "
                    "carrier."
                ),
            ],
            start=url_link(FORMS + "tip-booking", "Book a visit to the tip"),
            start_text="Book a visit",
            key="household-waste-recycling-centres",
            related_links=[page_link("bulky-waste-collection")],
        ),
        service(
            "Bulky waste collection",
            "Book a collection of large household items such as furniture, mattresses and "
            "fridges. Charges apply.",
            [
                para(
                    "<p>We can collect up to 6 large items from your home. We will give you a "
                    "collection date when you book, usually within 10 working days.</p>"
                ),
                table(
                    "Bulky waste charges from 1 April 2026",
                    [
                        [
                            "Number of items",
                            "Charge",
                            "Charge with Council Tax Reduction",
                        ],
                        ["1 to 3 items", "£38", "£19"],
                        ["4 to 6 items", "£62", "£31"],
                        ["Fridge or freezer (each)", "£30", "£15"],
                    ],
                ),
                h2("What we cannot collect"),
                para(
                    "<ul><li>building materials, rubble and soil</li><li>garden sheds and "
                    "fencing</li><li>car parts and tyres</li><li>anything too heavy for 2 "
                    "people to lift</li></ul>"
                ),
                details(
                    "Giving items away instead",
                    "<p>Furniture in good condition can often be reused. Local charities, "
                    "including the Guildhall Furniture Project, collect items for free.</p>",
                ),
            ],
            start=url_link(FORMS + "bulky-waste", "Book a bulky waste collection"),
            start_text="Book a collection",
        ),
        service(
            "Garden waste collection",
            "Pay for a brown bin to have your garden waste collected every 2 weeks.",
            [
                para(
                    "<p>Garden waste collection is a subscription service. It costs £52 a year "
                    "for each brown bin, from April to March.</p>"
                ),
                inset(
                    "<p>If you subscribe part-way through the year, the price is reduced "
                    "for each full month left.</p>"
                ),
                h2("Collection dates"),
                para(
                    "<p>Brown bins are collected every 2 weeks, except for 4 weeks over "
                    "Christmas when there are no collections.</p>"
                ),
                details(
                    "If you move home",
                    "<p>Leave the brown bin at the property and tell us your new address. "
                    "We can transfer your subscription if you are moving within the "
                    "borough.</p>",
                ),
            ],
            start=url_link(
                FORMS + "garden-waste", "Subscribe to garden waste collection"
            ),
            start_text="Subscribe",
            related_links=[page_link("what-goes-in-which-bin")],
        ),
    ],
)

# ------------------------------------------------------------------------------------
# Council tax
# ------------------------------------------------------------------------------------

COUNCIL_TAX_GUIDE = {
    "model": "services.GuidePage",
    "key": "council-tax-guide",
    "title": "Council tax: a guide for new residents",
    "slug": "council-tax-guide-for-new-residents",
    "summary": "How council tax works in Guildhall, how to set up your account and the ways "
    "to pay.",
    "parts": [
        {
            "title": "Overview",
            "body": [
                para(
                    "<p>Council tax pays for local services such as bin collections, "
                    "libraries, road repairs and social care. Most adults who live in a home "
                    "in the borough have to pay it.</p>"
                ),
                para(
                    "<p>The amount depends on the valuation band of your home and on who "
                    "lives there.</p>"
                ),
                inset(
                    "<p>Tell us within 21 days of moving into the borough, even if you think "
                    "you do not need to pay.</p>"
                ),
            ],
        },
        {
            "title": "Set up your council tax account",
            "body": [
                para(
                    "<p>You need to tell us:</p><ul><li>the date you moved in</li><li>the "
                    "names of everyone aged 18 or over who lives with you</li><li>your "
                    "previous address</li><li>the name of your landlord, if you rent</li></ul>"
                ),
                call_to_action(
                    page_link("tell-us-youre-moving-home", "Tell us you have moved"),
                    start_button=True,
                ),
            ],
        },
        {
            "title": "Your band and your bill",
            "body": [
                para(
                    "<p>Your first bill will arrive within 2 weeks. It shows your band, any "
                    "discounts and your monthly instalments.</p>"
                ),
                related(
                    "Find out more",
                    page_link("council-tax-bands-and-charges"),
                    page_link("council-tax-discounts-and-exemptions"),
                ),
            ],
        },
        {
            "title": "Paying and getting help",
            "body": [
                para(
                    "<p>The easiest way to pay is by Direct Debit on the 1st, 8th, 15th or "
                    "22nd of the month. You can spread payments over 10 or 12 months.</p>"
                ),
                warning(
                    "If you miss a payment we will send a reminder. If you do not pay, you "
                    "could be taken to court and have to pay extra costs."
                ),
                para(
                    "<p>If you are on a low income, you may be able to get Council Tax "
                    "Reduction.</p>"
                ),
                related(
                    "Help with paying",
                    page_link("pay-your-council-tax"),
                    page_link("council-tax-reduction"),
                ),
            ],
        },
    ],
}

COUNCIL_TAX = area(
    "council-tax",
    "Council tax",
    "Pay your council tax, check your band and find out about discounts and help with "
    "paying.",
    "Pay your bill, tell us about changes and get help if you are struggling to pay.",
    "moderator",
    "council_tax",
    [
        page_link("pay-your-council-tax"),
        page_link("council-tax-reduction", "Apply for Council Tax Reduction"),
        page_link("council-tax-bands-and-charges"),
        page_link("tell-us-youre-moving-home", "Tell us you are moving home"),
    ],
    [
        service(
            "Pay your council tax",
            "Pay your council tax online, by Direct Debit, by phone or at a Post Office.",
            [
                para(
                    "<p>You will need your 8-digit council tax account number. It is at the "
                    "top of your bill and starts with 5.</p>"
                ),
                h2("Set up a Direct Debit"),
                para(
                    "<p>Direct Debit is the easiest way to pay. You can choose to pay on the "
                    "1st, 8th, 15th or 22nd of the month, over 10 or 12 months.</p>"
                ),
                h2("Other ways to pay"),
                accordion(
                    (
                        "By phone",
                        "",
                        "<p>Call our automated payment line on 01632 960 222, "
                        "24 hours a day. You will need a debit or credit card.</p>",
                    ),
                    (
                        "At a Post Office or PayPoint",
                        "",
                        "<p>Take your bill with its barcode to any Post Office or shop showing the "
                        "PayPoint sign.</p>",
                    ),
                    (
                        "By bank transfer",
                        "",
                        "<p>Sort code 60-00-01, account number 12345678, account name Guildhall "
                        "Borough Council. Use your council tax account number as the "
                        "reference.</p>",
                    ),
                ),
                warning(
                    "If you do not pay on time, we will send you a reminder. If you still "
                    "do not pay, we will ask the magistrates' court for a liability order "
                    "and you will have to pay £95 costs."
                ),
                details(
                    "If you are having difficulty paying",
                    "<p>Contact us as soon as possible. We can often spread your payments "
                    "over more months. You may also be able to get Council Tax Reduction.</p>",
                ),
            ],
            start=url_link(FORMS + "pay-council-tax", "Pay your council tax online"),
            start_text="Pay now",
            related_links=[
                page_link("council-tax-reduction"),
                page_link("council-tax-guide"),
                url_link("https://www.gov.uk/council-tax", "Council Tax (GOV.UK)"),
            ],
        ),
        service(
            "Council Tax Reduction",
            "Get help paying your council tax if you are on a low income or claim benefits.",
            [
                para(
                    "<p>Council Tax Reduction can reduce your bill by up to 85% if you are of "
                    "working age, and up to 100% if you have reached State Pension age.</p>"
                ),
                h2("Who can apply"),
                para(
                    "<p>You may be able to get it if you:</p><ul><li>pay council tax in "
                    "Guildhall</li><li>are on a low income or claim benefits such as "
                    "Universal Credit</li><li>have less than £16,000 in savings, unless you "
                    "get the guarantee credit part of Pension Credit</li></ul>"
                ),
                inset(
                    "<p>Applying for Universal Credit does not mean you have applied for "
                    "Council Tax Reduction. You must apply to us separately.</p>"
                ),
                h2("What you need"),
                para(
                    "<p>You will need proof of your income, savings and the income of anyone "
                    "who lives with you.</p>"
                ),
                details(
                    "If your circumstances change",
                    "<p>Tell us within 21 days if your income, your household or your address "
                    "changes. If we pay you too much, you will have to pay it back.</p>",
                ),
            ],
            start=url_link(
                FORMS + "council-tax-reduction", "Apply for Council Tax Reduction"
            ),
            start_text="Apply now",
            related_links=[page_link("council-tax-discounts-and-exemptions")],
        ),
        service(
            "Council tax bands and charges",
            "How much council tax you pay in each valuation band in 2026 to 2027.",
            [
                para(
                    "<p>Every home in England is in a valuation band from A to H, based on "
                    "what it would have been worth on 1 April 1991. The Valuation Office "
                    "Agency sets the bands, not the council.</p>"
                ),
                table(
                    "Council tax charges for 2026 to 2027",
                    [
                        ["Band", "Value on 1 April 1991", "Yearly charge"],
                        ["A", "Up to £40,000", "£1,497.11"],
                        ["B", "£40,001 to £52,000", "£1,746.63"],
                        ["C", "£52,001 to £68,000", "£1,996.15"],
                        ["D", "£68,001 to £88,000", "£2,245.67"],
                        ["E", "£88,001 to £120,000", "£2,744.71"],
                        ["F", "£120,001 to £160,000", "£3,243.75"],
                        ["G", "£160,001 to £320,000", "£3,742.78"],
                        ["H", "More than £320,000", "£4,491.34"],
                    ],
                    first_col_is_header=True,
                ),
                para(
                    "<p>The charges include the precepts for Guildhallshire County Council, "
                    "the Police and Crime Commissioner, the Fire Authority and parish "
                    "councils. Parish charges vary, so your bill may differ slightly.</p>"
                ),
                h2("If you think your band is wrong"),
                para(
                    "<p>You can ask the Valuation Office Agency to check your band.</p>"
                ),
                warning(
                    "Your band could go up as well as down if it is checked. Keep paying "
                    "your bill while the check happens."
                ),
                call_to_action(
                    page_link("pay-your-council-tax", "Pay your council tax")
                ),
            ],
            related_links=[
                url_link(
                    "https://www.gov.uk/council-tax-bands",
                    "Check your council tax band (GOV.UK)",
                ),
            ],
        ),
        service(
            "Council tax discounts and exemptions",
            "Reductions for people who live alone, students, carers and empty homes.",
            [
                para(
                    "<p>You may pay less council tax, or none at all, depending on who lives "
                    "in your home.</p>"
                ),
                accordion(
                    (
                        "Single person discount",
                        "25% off your bill",
                        "<p>If you are the only adult (18 or over) living in your home, you get "
                        "25% off.</p>",
                    ),
                    (
                        "Students",
                        "Full exemption for some homes",
                        "<p>Homes where everyone is a full-time student do not pay council tax. "
                        "Send us a student certificate from your college or university.</p>",
                    ),
                    (
                        "Disabled band reduction",
                        "Your bill is charged at the band below",
                        "<p>If your home has been adapted for a disabled person, for example with "
                        "an extra bathroom or room for a wheelchair.</p>",
                    ),
                    (
                        "After someone dies",
                        "Exemption until probate is granted",
                        "<p>A home left empty after the death of the person who paid the council "
                        "tax is exempt until probate is granted, and for up to 6 months "
                        "after.</p>",
                    ),
                ),
                inset(
                    "<p>Empty homes unfurnished for more than a year pay a premium of 100% "
                    "on top of the normal charge.</p>"
                ),
                details(
                    "Carers and people with severe mental impairment",
                    "<p>Some people are 'disregarded' when we count the number of adults, "
                    "such as live-in carers and people with a severe mental impairment. "
                    "Contact us to check.</p>",
                ),
            ],
            start=url_link(FORMS + "council-tax-discount", "Apply for a discount"),
            start_text="Apply for a discount",
            related_links=[page_link("council-tax-reduction")],
        ),
        service(
            "Tell us you're moving home",
            "Tell us when you move into, out of or within the borough so we can bill the right "
            "person.",
            [
                para(
                    "<p>Tell us at least 2 weeks before you move, or as soon as possible "
                    "after.</p>"
                ),
                h2("What you need"),
                para(
                    "<ul><li>your council tax account number</li><li>your moving date</li>"
                    "<li>your new address</li><li>the name of the new owner or landlord, if "
                    "you know it</li></ul>"
                ),
                warning(
                    "You must pay council tax up to and including the day before you move "
                    "out."
                ),
                inset(
                    "<p>You can also tell us about your bins, parking permit and garden waste "
                    "subscription using the same form.</p>"
                ),
            ],
            start=url_link(FORMS + "moving-home", "Tell us you are moving"),
            key="tell-us-youre-moving-home",
            slug="tell-us-youre-moving-home",
        ),
        COUNCIL_TAX_GUIDE,
    ],
)

# ------------------------------------------------------------------------------------
# Roads and pavements
# ------------------------------------------------------------------------------------

ROADS = area(
    "roads",
    "Roads and pavements",
    "Report potholes and street light faults, find roadworks and winter gritting routes.",
    "Report a problem on a road or pavement, and find out about roadworks and gritting.",
    "editor",
    "highways",
    [
        page_link("report-a-pothole"),
        page_link("street-lighting-faults", "Report a street light fault"),
        page_link("roadworks-and-road-closures"),
        page_link("gritting-and-winter-roads"),
    ],
    [
        service(
            "Report a pothole",
            "Tell us about a pothole or damaged road surface so we can inspect and repair it.",
            [
                para(
                    "<p>We look after all roads in the borough except the A34 and the M40, "
                    "which National Highways maintains.</p>"
                ),
                h2("How quickly we repair potholes"),
                table(
                    "Repair times",
                    [
                        ["Risk", "Example", "Repaired within"],
                        [
                            "Emergency",
                            "Deep hole on a busy junction",
                            "2 hours (made safe)",
                        ],
                        [
                            "High",
                            "Pothole deeper than 40mm on a main road",
                            "5 working days",
                        ],
                        ["Medium", "Pothole on a residential road", "28 days"],
                        [
                            "Low",
                            "Worn or cracked surface",
                            "Added to our resurfacing plans",
                        ],
                    ],
                ),
                warning(
                    "If a pothole is an immediate danger to road users, call 01632 960 303 "
                    "now. Do not report it online."
                ),
                details(
                    "If your vehicle was damaged by a pothole",
                    "<p>You can make a claim for compensation. Include photos of the damage "
                    "and the pothole, the date and time, and repair invoices.</p>",
                ),
            ],
            start=url_link(FORMS + "pothole", "Report a pothole"),
            start_text="Report a pothole",
            related_links=[
                url_link(
                    "https://www.gov.uk/report-pothole", "Report a pothole (GOV.UK)"
                )
            ],
        ),
        service(
            "Street lighting faults",
            "Report a street light that is not working, is on during the day or is damaged.",
            [
                para(
                    "<p>Each street light has a number on its column. It helps us find the "
                    "light if you include it in your report.</p>"
                ),
                inset(
                    "<p>We aim to fix most faults within 7 working days. Faults with the "
                    "electricity supply are fixed by the network operator and can take "
                    "longer.</p>"
                ),
                warning(
                    "If a street light has been knocked down or has exposed wires, call "
                    "01632 960 303 immediately and keep away from it."
                ),
                details(
                    "Part-night lighting",
                    "<p>Some lights on residential roads switch off between midnight and "
                    "5:30am to save energy. These lights are not faulty.</p>",
                ),
            ],
            start=url_link(FORMS + "street-light", "Report a street light fault"),
            start_text="Report a fault",
            key="street-lighting-faults",
        ),
        service(
            "Gritting and winter roads",
            "Which roads we grit, when we grit them and where to find grit bins.",
            [
                para(
                    "<p>From October to April we grit main roads, bus routes and roads to "
                    "hospitals and schools when temperatures are forecast to fall below "
                    "freezing.</p>"
                ),
                para(
                    "<p>Our priority routes cover about 40% of the borough's roads.</p>"
                ),
                inset(
                    "<p>We do not grit pavements, except in the town centre during prolonged "
                    "snow.</p>"
                ),
                details(
                    "Grit bins",
                    "<p>There are over 300 grit bins on steep hills and junctions. The grit is "
                    "for use on roads and pavements, not private driveways.</p>",
                ),
            ],
            related_links=[page_link("report-a-pothole")],
        ),
        service(
            "Roadworks and road closures",
            "Find planned roadworks, diversions and temporary road closures.",
            [
                para(
                    "<p>Roadworks are carried out by the council and by utility companies "
                    "such as water, gas and broadband providers.</p>"
                ),
                h2("Apply for a temporary road closure"),
                para(
                    "<p>If you are organising a street party or an event, apply at least 12 "
                    "weeks before. Street parties on quiet residential roads are free.</p>"
                ),
                warning("You must not close a road without a temporary traffic order."),
            ],
            start=url_link("https://one.network/", "See roadworks on a map"),
            start_text="See roadworks on a map",
        ),
        service(
            "Apply for a dropped kerb",
            "Apply to lower the kerb outside your home so you can park on your driveway.",
            [
                para(
                    "<p>You need our permission to drive across a pavement or verge. It costs "
                    "£110 to apply, and the work is quoted separately.</p>"
                ),
                para(
                    "<p>You may also need planning permission if your home is on a main road "
                    "or is a listed building.</p>"
                ),
                warning(
                    "Driving over a pavement without a dropped kerb is an offence and can "
                    "damage pipes and cables underneath."
                ),
            ],
            start=url_link(FORMS + "dropped-kerb", "Apply for a dropped kerb"),
            related_links=[page_link("apply-for-planning-permission")],
        ),
    ],
)

# ------------------------------------------------------------------------------------
# Parking
# ------------------------------------------------------------------------------------

PARKING = area(
    "parking",
    "Parking",
    "Parking permits, parking fines, Blue Badges and car parks.",
    "Apply for a permit, pay or challenge a parking fine and find a car park.",
    "moderator",
    "parking",
    [
        page_link("apply-for-a-resident-parking-permit"),
        page_link("pay-a-parking-fine", "Pay a parking fine"),
        page_link("challenge-a-parking-fine"),
        page_link("apply-for-a-blue-badge"),
    ],
    [
        service(
            "Apply for a resident parking permit",
            "Get a permit to park in a residents' parking zone near your home.",
            [
                para(
                    "<p>You can apply if you live in one of our 14 residents' parking zones "
                    "and your vehicle is registered at your address.</p>"
                ),
                table(
                    "Permit prices from 1 April 2026",
                    [
                        ["Permit", "Price for 12 months"],
                        ["First vehicle", "£65"],
                        ["Second vehicle", "£120"],
                        ["Electric vehicle", "£30"],
                        ["Visitor permits (book of 20)", "£24"],
                    ],
                ),
                inset(
                    "<p>Permits are digital. There is nothing to display in your "
                    "windscreen.</p>"
                ),
                details(
                    "If you change your vehicle or move",
                    "<p>Update your permit online before you use the new vehicle. If you "
                    "move out of the zone, cancel your permit and we will refund any full "
                    "months left.</p>",
                ),
            ],
            start=url_link(
                FORMS + "resident-permit", "Apply for a resident parking permit"
            ),
            start_text="Apply for a permit",
        ),
        service(
            "Pay a parking fine (penalty charge notice)",
            "Pay a penalty charge notice (PCN) for a parking or bus lane contravention.",
            [
                para(
                    "<p>You will need the 10-character PCN number and the vehicle "
                    "registration number.</p>"
                ),
                inset(
                    "<p>If you pay within 14 days of the date of the notice, you only pay "
                    "half: £35 instead of £70, or £25 instead of £50.</p>"
                ),
                warning(
                    "If you do not pay or challenge the penalty within 28 days, the charge "
                    "will increase by 50%."
                ),
                details(
                    "If you think the fine is wrong",
                    "<p>Challenge it before you pay. If you pay, you accept the penalty and "
                    "cannot challenge it later.</p>",
                ),
            ],
            start=url_link(FORMS + "pay-pcn", "Pay a parking fine"),
            start_text="Pay a fine",
            key="pay-a-parking-fine",
            slug="pay-a-parking-fine",
            related_links=[
                page_link("challenge-a-parking-fine"),
                url_link(
                    "https://www.gov.uk/parking-tickets", "Parking tickets (GOV.UK)"
                ),
            ],
        ),
        service(
            "Challenge a parking fine",
            "Make an informal challenge or formal representation against a penalty charge "
            "notice.",
            [
                para(
                    "<p>You can challenge a fine if you think it should not have been "
                    "issued, for example if the signs were unclear or you had a valid "
                    "permit.</p>"
                ),
                h2("How to challenge"),
                para(
                    "<ol><li>Make an informal challenge within 14 days. We will hold the "
                    "discount while we consider it.</li><li>If we reject it, you will get a "
                    "Notice to Owner and can make a formal representation.</li><li>If we "
                    "reject that, you can appeal to the independent Traffic Penalty "
                    "Tribunal.</li></ol>"
                ),
                inset(
                    "<p>Include photos and any evidence, such as a pay and display ticket or "
                    "a Blue Badge.</p>"
                ),
            ],
            start=url_link(FORMS + "challenge-pcn", "Challenge a parking fine"),
            start_text="Make a challenge",
        ),
        service(
            "Car parks and charges",
            "Locations, opening times and charges for council car parks.",
            [
                table(
                    "Town centre car park charges",
                    [
                        ["Car park", "Up to 1 hour", "Up to 3 hours", "All day"],
                        ["Market Street (multi-storey)", "£1.50", "£3.80", "£7.50"],
                        ["Castle Street", "£1.80", "£4.50", "Not available"],
                        ["Riverside", "£1.00", "£2.50", "£5.00"],
                        ["Station Road", "£1.20", "£3.00", "£6.00"],
                    ],
                    first_col_is_header=True,
                ),
                para(
                    "<p>Parking is free after 6pm and on Sundays in all surface car parks. "
                    "Blue Badge holders park free in marked bays.</p>"
                ),
                details(
                    "Electric vehicle charging",
                    "<p>There are rapid chargers at Riverside and Station Road car parks. "
                    "You pay for the electricity as well as for parking.</p>",
                ),
            ],
        ),
        service(
            "Apply for a Blue Badge",
            "Apply for or renew a Blue Badge if you have a disability or health condition that "
            "affects your mobility.",
            [
                para(
                    "<p>A Blue Badge lets you park closer to where you need to go. It costs "
                    "£10 and lasts up to 3 years.</p>"
                ),
                inset(
                    "<p>It can take up to 12 weeks to process an application. Apply to renew "
                    "at least 12 weeks before your badge runs out.</p>"
                ),
                warning(
                    "It is a criminal offence to misuse a Blue Badge. You could be fined "
                    "up to £1,000."
                ),
                details(
                    "Returning a badge",
                    "<p>Return the badge to us if it has expired, you no longer need it, or "
                    "the badge holder has died.</p>",
                ),
            ],
            start=url_link("https://www.gov.uk/apply-blue-badge", "Apply on GOV.UK"),
            start_text="Apply on GOV.UK",
        ),
    ],
)

# ------------------------------------------------------------------------------------
# Planning and building control
# ------------------------------------------------------------------------------------

PLANNING = area(
    "planning",
    "Planning and building control",
    "Planning applications, building regulations and planning enforcement.",
    "Find out if you need planning permission, apply, and comment on applications near "
    "you.",
    "admin",
    "planning",
    [
        page_link("apply-for-planning-permission"),
        page_link("comment-on-a-planning-application"),
        page_link("do-you-need-planning-permission"),
        page_link("building-regulations-approval"),
    ],
    [
        service(
            "Apply for planning permission",
            "Submit a planning application for building work, extensions or a change of use.",
            [
                para(
                    "<p>Most applications are made online through the Planning Portal. "
                    "You will need site plans, drawings and the application fee.</p>"
                ),
                table(
                    "Common application fees (England)",
                    [
                        ["Type of application", "Fee"],
                        ["Householder extension or alteration", "£528"],
                        ["Lawful development certificate (proposed)", "£289"],
                        ["One new dwelling", "£624"],
                        ["Listed building consent", "Free"],
                    ],
                ),
                h2("How long it takes"),
                para(
                    "<p>We decide most householder applications within 8 weeks and major "
                    "applications within 13 weeks.</p>"
                ),
                details(
                    "Pre-application advice",
                    "<p>You can pay for written advice from a planning officer before you "
                    "apply. Householder advice costs £150.</p>",
                ),
            ],
            start=url_link(
                "https://www.planningportal.co.uk/", "Apply on the Planning Portal"
            ),
            start_text="Apply on the Planning Portal",
        ),
        service(
            "Comment on a planning application",
            "Find a planning application and tell us what you think of it.",
            [
                para(
                    "<p>You can comment on an application during its 21-day consultation "
                    "period. Comments are published on our website with your name, but not "
                    "your contact details.</p>"
                ),
                h2("What we can take into account"),
                para(
                    "<ul><li>loss of light or privacy</li><li>design, appearance and "
                    "materials</li><li>traffic, parking and road safety</li><li>noise</li>"
                    "<li>effect on listed buildings and conservation areas</li></ul>"
                ),
                inset(
                    "<p>We cannot consider loss of property value, private disputes or loss "
                    "of a view.</p>"
                ),
            ],
            start=url_link(FORMS + "planning-search", "Search planning applications"),
            start_text="Search applications",
        ),
        service(
            "Do you need planning permission?",
            "Check whether your project needs planning permission or is permitted development.",
            [
                para(
                    "<p>Many small projects, such as some single-storey extensions, "
                    "outbuildings and loft conversions, are 'permitted development' and do "
                    "not need planning permission.</p>"
                ),
                warning(
                    "Permitted development rights do not apply to flats, listed buildings "
                    "or some homes in conservation areas."
                ),
                para(
                    "<p>To be certain, apply for a lawful development certificate.</p>"
                ),
            ],
            slug="do-you-need-planning-permission",
            related_links=[
                url_link(
                    "https://www.gov.uk/planning-permission-england-wales",
                    "Planning permission (GOV.UK)",
                )
            ],
        ),
        service(
            "Building regulations approval",
            "Get building control approval so your building work is safe and meets the "
            "regulations.",
            [
                para(
                    "<p>Building regulations set standards for structure, fire safety, "
                    "insulation, drainage and access. They are separate from planning "
                    "permission.</p>"
                ),
                para(
                    "<p>You can submit full plans, or a building notice for smaller "
                    "domestic work.</p>"
                ),
                inset(
                    "<p>Our inspectors visit at key stages. Book an inspection at least 24 "
                    "hours ahead.</p>"
                ),
            ],
            start=url_link(
                FORMS + "building-regulations",
                "Apply for building regulations approval",
            ),
            start_text="Apply now",
        ),
        service(
            "Report a breach of planning control",
            "Tell us about building work or a change of use that may not have permission.",
            [
                para(
                    "<p>We investigate work carried out without planning permission, or "
                    "that does not follow the approved plans or conditions.</p>"
                ),
                details(
                    "What we cannot investigate",
                    "<p>Boundary disputes, covenants and problems with building quality are "
                    "civil matters.</p>",
                ),
            ],
            start=url_link(FORMS + "planning-enforcement", "Report a breach"),
            start_text="Report a breach",
        ),
    ],
)

# ------------------------------------------------------------------------------------
# Housing
# ------------------------------------------------------------------------------------

HOUSING = area(
    "housing",
    "Housing",
    "Council housing, repairs, homelessness and help to adapt your home.",
    "Apply for social housing, report a repair to your council home and get help if you "
    "are homeless.",
    "editor",
    "housing",
    [
        page_link("apply-for-social-housing"),
        page_link("report-a-repair", "Report a repair to your council home"),
        page_link("homeless-or-at-risk-of-homelessness"),
    ],
    [
        service(
            "Apply for social housing",
            "Join the housing register to bid for council and housing association homes.",
            [
                para(
                    "<p>Guildhall HomeChoice is how council and housing association homes "
                    "are let in the borough. Once you are on the register you can bid for "
                    "homes each week.</p>"
                ),
                h2("Who can apply"),
                para(
                    "<p>You can usually apply if you are 18 or over and have lived in the "
                    "borough for at least 2 years.</p>"
                ),
                inset(
                    "<p>There are over 4,000 households on the register and about 600 "
                    "homes become available each year. Most people wait several "
                    "years.</p>"
                ),
                accordion(
                    (
                        "Band A: urgent need",
                        "",
                        "<p>For example if your home is unsafe or you "
                        "need to move for medical reasons.</p>",
                    ),
                    (
                        "Band B: high need",
                        "",
                        "<p>For example if you are statutorily homeless "
                        "or severely overcrowded.</p>",
                    ),
                    (
                        "Band C: medium need",
                        "",
                        "<p>For example if you are overcrowded by one bedroom.</p>",
                    ),
                ),
            ],
            start=url_link(
                FORMS + "housing-register", "Apply to join the housing register"
            ),
            start_text="Apply now",
        ),
        service(
            "Report a repair",
            "Report a repair to your council home, from a leaking tap to a broken boiler.",
            [
                para(
                    "<p>We are responsible for repairs to the structure of your home, "
                    "heating, plumbing, electrics and shared areas.</p>"
                ),
                table(
                    "Repair priorities",
                    [
                        ["Priority", "Examples", "Time to fix"],
                        [
                            "Emergency",
                            "Gas leak, flooding, no power",
                            "Made safe within 4 hours",
                        ],
                        ["Urgent", "No heating or hot water", "3 working days"],
                        ["Routine", "Dripping tap, sticking door", "20 working days"],
                    ],
                ),
                warning(
                    "If you smell gas, call the National Gas Emergency Service on "
                    "0800 111 999 straight away."
                ),
                details(
                    "Damp and mould",
                    "<p>Report damp and mould as soon as you see it. We will inspect within "
                    "10 working days and tell you what we will do.</p>",
                ),
                call_to_action(
                    url_link(
                        FORMS + "housing-repair-emergency", "Report an emergency repair"
                    )
                ),
            ],
            start=url_link(FORMS + "housing-repair", "Report a repair"),
            start_text="Report a repair",
        ),
        service(
            "Homeless or at risk of homelessness",
            "Get help if you are homeless, or could lose your home in the next 8 weeks.",
            [
                para(
                    "<p>Contact us as soon as you know you might lose your home. The sooner "
                    "you contact us, the more we can do to help you stay where you are.</p>"
                ),
                warning(
                    "If you are homeless tonight, call 01632 960 606. Out of hours, call "
                    "01632 960 699."
                ),
                h2("What we can do"),
                para(
                    "<ul><li>talk to your landlord or family to help you stay</li><li>help "
                    "you find a private rented home</li><li>give you emergency "
                    "accommodation if you are eligible</li></ul>"
                ),
                details(
                    "If you are experiencing domestic abuse",
                    "<p>You do not have to stay in a home where you are at risk. Call the "
                    "National Domestic Abuse Helpline free on 0808 2000 247, 24 hours a "
                    "day.</p>",
                ),
            ],
            start=url_link(FORMS + "homelessness", "Ask for help with homelessness"),
            start_text="Ask for help",
            related_links=[
                url_link(
                    "https://www.gov.uk/council-housing", "Council housing (GOV.UK)"
                )
            ],
        ),
        service(
            "End your council tenancy",
            "Give notice to end your tenancy, or tell us that a tenant has died.",
            [
                para(
                    "<p>You must give us 4 weeks' written notice, ending on a Monday.</p>"
                ),
                h2("If a tenant has died"),
                para(
                    "<p>Tell us as soon as possible. The family or executor has 4 weeks to "
                    "clear the property and return the keys. Rent is charged for this time "
                    "but can be reduced if the keys are returned sooner.</p>"
                ),
                inset(
                    "<p>A husband, wife, civil partner or family member who lived with the "
                    "tenant may be able to take over the tenancy.</p>"
                ),
            ],
            start=url_link(FORMS + "end-tenancy", "End your tenancy"),
        ),
        service(
            "Disabled facilities grants",
            "Get a grant to adapt your home if you or someone you live with is disabled.",
            [
                para(
                    "<p>A disabled facilities grant can pay for changes such as stairlifts, "
                    "level-access showers and wider doors. The maximum grant is £30,000.</p>"
                ),
                para(
                    "<p>An occupational therapist will first assess what you need.</p>"
                ),
                inset("<p>Grants for children under 18 are not means-tested.</p>"),
            ],
            start=url_link(FORMS + "dfg-referral", "Ask for an assessment"),
        ),
    ],
)

# ------------------------------------------------------------------------------------
# Libraries
# ------------------------------------------------------------------------------------

LIBRARIES = area(
    "libraries",
    "Libraries",
    "Join the library, renew books and find opening times, computers and eBooks.",
    "Borrow books, eBooks and audiobooks, use a computer and find events at our 7 "
    "libraries.",
    "moderator",
    "libraries",
    [
        page_link("join-the-library"),
        page_link("renew-library-books"),
        page_link("library-opening-times"),
        page_link("ebooks-eaudiobooks-and-emagazines"),
    ],
    [
        service(
            "Join the library",
            "Join the library for free to borrow books, eBooks and audiobooks.",
            [
                para(
                    "<p>Anyone who lives, works or studies in Guildhall can join for free. "
                    "You can borrow up to 20 items at a time.</p>"
                ),
                para(
                    "<p>Join online and you can use eBooks and eAudiobooks straight away. "
                    "Bring proof of your address to any library to get your card.</p>"
                ),
                inset(
                    "<p>Children's books are free to borrow and there are no fines on "
                    "children's cards.</p>"
                ),
                video("A tour of Guildhall Central Library", VIDEO_URL),
            ],
            start=url_link(FORMS + "join-library", "Join the library"),
            start_text="Join now",
        ),
        service(
            "Renew library books",
            "Renew the books and other items you have borrowed, online, by phone or in person.",
            [
                para(
                    "<p>You can renew items up to 3 times unless someone else has reserved "
                    "them. You will need your library card number and PIN.</p>"
                ),
                details(
                    "Forgotten your PIN",
                    "<p>Ask at any library or reset it online using the email address on your "
                    "account.</p>",
                ),
                inset(
                    "<p>Adult items overdue for more than 6 weeks are charged at 25p a day, "
                    "up to £5 for each item.</p>"
                ),
            ],
            start=url_link(FORMS + "library-account", "Renew online"),
            start_text="Renew online",
        ),
        service(
            "Library opening times and locations",
            "Addresses and opening times for all 7 libraries in the borough.",
            [
                table(
                    "Library opening times",
                    [
                        ["Library", "Monday to Friday", "Saturday", "Sunday"],
                        [
                            "Central Library, St Anne's Square",
                            "9am to 7pm",
                            "9am to 5pm",
                            "11am to 3pm",
                        ],
                        ["Ashdown", "9:30am to 5:30pm", "9:30am to 1pm", "Closed"],
                        [
                            "Brookfield",
                            "10am to 6pm, closed Wednesday",
                            "10am to 1pm",
                            "Closed",
                        ],
                        ["Castle Hill", "9:30am to 5:30pm", "9:30am to 4pm", "Closed"],
                        [
                            "Ferrybridge",
                            "10am to 5pm, closed Monday",
                            "10am to 1pm",
                            "Closed",
                        ],
                        ["Moorside", "2pm to 7pm", "10am to 1pm", "Closed"],
                        ["Westgate", "9:30am to 5:30pm", "9:30am to 4pm", "Closed"],
                    ],
                    first_col_is_header=True,
                ),
                details(
                    "Library+ extended hours",
                    "<p>At Ashdown and Westgate, members aged 18 or over can use the "
                    "library from 8am to 8pm every day with their card and PIN.</p>",
                ),
            ],
            key="library-opening-times",
            slug="library-opening-times",
        ),
        service(
            "eBooks, eAudiobooks and eMagazines",
            "Borrow eBooks, eAudiobooks and eMagazines for free with your library card.",
            [
                para(
                    "<p>Download the Libby app and sign in with your library card number and "
                    "PIN. You can borrow up to 10 eBooks and 10 eAudiobooks.</p>"
                ),
                inset(
                    "<p>Items return themselves automatically, so you never pay a fine.</p>"
                ),
            ],
            slug="ebooks-eaudiobooks-and-emagazines",
        ),
        service(
            "Computers and Wi-Fi in libraries",
            "Use a computer, the internet and printers for free in any library.",
            [
                para(
                    "<p>Library members can use computers for up to 2 hours a day for free. "
                    "Free Wi-Fi is available to everyone.</p>"
                ),
                para(
                    "<p>Printing costs 15p a page in black and white and 50p in colour.</p>"
                ),
                details(
                    "Help getting online",
                    "<p>Digital champions run free drop-in sessions every Tuesday morning at "
                    "Central Library.</p>",
                ),
            ],
        ),
    ],
)

# ------------------------------------------------------------------------------------
# Births, deaths and marriages
# ------------------------------------------------------------------------------------

WHEN_SOMEONE_DIES = {
    "model": "services.StepByStepPage",
    "key": "when-someone-dies",
    "title": "What to do when someone dies",
    "slug": "what-to-do-when-someone-dies",
    "summary": "The things you need to do after a death, step by step.",
    "intro": "When someone dies there are practical things to do and people to tell. "
    "This guide takes you through them in order.",
    "steps": [
        step(
            "Get a medical certificate",
            "<p>A doctor will give you a medical certificate of cause of death. If the death "
            "is referred to a coroner, the coroner's office will tell you what happens "
            "next.</p>",
            url_link(
                "https://www.gov.uk/after-a-death",
                "What to do after someone dies (GOV.UK)",
            ),
        ),
        step(
            "Register the death",
            "<p>Register the death within 5 days. You will get the documents you need for "
            "the funeral.</p>",
            page_link("register-a-death"),
            page_link(
                "order-a-copy-of-a-certificate", "Order copies of the death certificate"
            ),
        ),
        step(
            "Use Tell Us Once",
            "<p>Tell Us Once lets you report the death to most government organisations in "
            "one go.</p>",
            page_link("tell-us-once"),
            logic="and",
        ),
        step(
            "Arrange the funeral",
            "<p>You can arrange the funeral once the death is registered. You may be able to "
            "get help with the cost.</p>",
            url_link(
                "https://www.gov.uk/funeral-payments",
                "Funeral Expenses Payment (GOV.UK)",
            ),
        ),
        step(
            "Sort out council tax",
            "<p>The home may be exempt from council tax, and anyone left living there alone "
            "can get a single person discount.</p>",
            page_link("council-tax-discounts-and-exemptions"),
            page_link("council-tax-reduction"),
            page_link("council-tax-guide", "Council tax guide"),
        ),
        step(
            "End or transfer council services",
            "<p>Cancel or transfer council services the person used, and return any badges "
            "or permits.</p>",
            page_link("end-your-council-tenancy"),
            page_link("apply-for-a-blue-badge", "Return a Blue Badge"),
            page_link("apply-for-a-resident-parking-permit", "Cancel a parking permit"),
        ),
    ],
}

REGISTER_OFFICE = area(
    "register-office",
    "Births, deaths and marriages",
    "Register a birth or death, give notice of marriage, citizenship ceremonies and "
    "certificates.",
    "Guildhall Register Office registers births and deaths and holds marriages, civil "
    "partnerships and citizenship ceremonies.",
    "admin",
    "register_office",
    [
        page_link("register-a-birth"),
        page_link("register-a-death"),
        page_link("give-notice-of-marriage-or-civil-partnership"),
        page_link("order-a-copy-of-a-certificate"),
        page_link("book-a-citizenship-ceremony"),
    ],
    [
        service(
            "Register a birth",
            "Book an appointment to register a birth within 42 days.",
            [
                para(
                    "<p>You must register a birth within 42 days at the register office in "
                    "the area where the baby was born.</p>"
                ),
                h2("Who can register"),
                para(
                    "<p>If the parents are married or in a civil partnership, either parent "
                    "can register. If they are not, both parents should attend if they want "
                    "both names on the certificate.</p>"
                ),
                h2("What to bring"),
                para(
                    "<ul><li>proof of identity for each parent attending, such as a passport "
                    "or driving licence</li><li>proof of address</li><li>the baby's NHS "
                    "number if you have it</li></ul>"
                ),
                inset(
                    "<p>A short birth certificate is free. Full certificates cost £12.50 on "
                    "the day.</p>"
                ),
            ],
            start=url_link(
                FORMS + "register-birth", "Book an appointment to register a birth"
            ),
            start_text="Book an appointment",
        ),
        service(
            "Register a death",
            "Book an appointment to register a death within 5 days.",
            [
                para(
                    "<p>A death that happened in Guildhall must be registered here within 5 "
                    "days. You can book once the medical certificate has been sent to us by "
                    "the doctor or hospital.</p>"
                ),
                h2("Who can register a death"),
                para(
                    "<p>Usually a relative. If there are no relatives, someone who was "
                    "present at the death or the person arranging the funeral can "
                    "register.</p>"
                ),
                h2("What you need to tell the registrar"),
                para(
                    "<ul><li>the person's full name and any previous names</li><li>their "
                    "date and place of birth</li><li>their last address and occupation</li>"
                    "<li>the name of their husband, wife or civil partner</li></ul>"
                ),
                warning(
                    "If the death has been referred to a coroner, you cannot register it "
                    "until the coroner gives permission."
                ),
                details(
                    "What you will receive",
                    "<p>A certificate for burial or cremation (the 'green form'), and a "
                    "unique Tell Us Once reference number.</p>",
                ),
            ],
            start=url_link(
                FORMS + "register-death", "Book an appointment to register a death"
            ),
            start_text="Book an appointment",
        ),
        service(
            "Tell Us Once",
            "Report a death to most government organisations in one go.",
            [
                para(
                    "<p>The registrar will give you a Tell Us Once reference number when you "
                    "register a death. Use it within 28 days.</p>"
                ),
                para(
                    "<p>Tell Us Once will let the council, HM Revenue and Customs, the "
                    "Department for Work and Pensions, the Passport Office and the DVLA "
                    "know.</p>"
                ),
                inset(
                    "<p>Within the council, Tell Us Once tells council tax, housing "
                    "benefit, libraries, Blue Badges and parking services.</p>"
                ),
            ],
            start=url_link(
                "https://www.gov.uk/after-a-death/organisations-you-need-to-contact-"
                "and-tell-us-once",
                "Use Tell Us Once",
            ),
            start_text="Use Tell Us Once",
        ),
        service(
            "Give notice of marriage or civil partnership",
            "Give notice at the register office at least 29 days before your ceremony.",
            [
                para(
                    "<p>You both need to give notice in person at the register office in "
                    "the area where you live. It costs £42 each.</p>"
                ),
                accordion(
                    (
                        "What to bring",
                        "",
                        "<p>A valid passport, proof of address from the "
                        "last 3 months, and a decree absolute or death certificate if you have "
                        "been married before.</p>",
                    ),
                    (
                        "If one of you is not a British or Irish citizen",
                        "",
                        "<p>You may need to give notice at a designated register office and the "
                        "notice period may be extended to 70 days.</p>",
                    ),
                ),
                warning(
                    "Do not book travel or make final arrangements until you have given "
                    "notice."
                ),
            ],
            start=url_link(
                FORMS + "notice-of-marriage", "Book an appointment to give notice"
            ),
            related_links=[
                url_link(
                    "https://www.gov.uk/marriages-civil-partnerships",
                    "Marriages and civil partnerships (GOV.UK)",
                )
            ],
        ),
        service(
            "Book a citizenship ceremony",
            "Book your British citizenship ceremony once the Home Office has approved your "
            "application.",
            [
                para(
                    "<p>You must attend a ceremony within 3 months of receiving your "
                    "invitation letter from the Home Office.</p>"
                ),
                para(
                    "<p>Group ceremonies are held every Tuesday and Thursday at 11am at the "
                    "Old Courthouse and are free. Private ceremonies cost £160.</p>"
                ),
                video("What happens at a citizenship ceremony", VIDEO_URL),
                inset(
                    "<p>Bring your invitation letter and passport or other photo ID. You "
                    "can bring up to 2 guests.</p>"
                ),
            ],
            start=url_link(
                FORMS + "citizenship-ceremony", "Book a citizenship ceremony"
            ),
            start_text="Book a ceremony",
            related_links=[
                url_link(
                    "https://www.gov.uk/become-british-citizen",
                    "Become a British citizen (GOV.UK)",
                )
            ],
        ),
        service(
            "Order a copy of a certificate",
            "Order a copy of a birth, death, marriage or civil partnership certificate.",
            [
                para(
                    "<p>We hold records of births, deaths and marriages in Guildhall since "
                    "1837.</p>"
                ),
                table(
                    "Certificate fees",
                    [
                        ["Service", "Fee"],
                        ["Standard (dispatched within 15 working days)", "£12.50"],
                        ["Priority (dispatched next working day)", "£38.50"],
                    ],
                ),
                details(
                    "If the event happened elsewhere",
                    "<p>Order the certificate from the register office for that area or "
                    "from the General Register Office.</p>",
                ),
            ],
            start=url_link(FORMS + "certificate-copy", "Order a certificate"),
            start_text="Order a certificate",
        ),
        WHEN_SOMEONE_DIES,
    ],
)

SERVICE_AREAS = [
    BINS,
    COUNCIL_TAX,
    ROADS,
    PARKING,
    PLANNING,
    HOUSING,
    LIBRARIES,
    REGISTER_OFFICE,
]

# ------------------------------------------------------------------------------------
# News
# ------------------------------------------------------------------------------------


def news(title, day, summary, body, slug=None):
    article = {
        "model": "services.NewsArticlePage",
        "title": title,
        "date": day,
        "summary": summary,
        "body": body,
    }
    if slug:
        article["slug"] = slug
    return article


NEWS = {
    "model": "services.NewsIndexPage",
    "key": "news",
    "title": "News",
    "summary": "News and press releases from Guildhall Borough Council.",
    "intro": "The latest news from the council. For media enquiries call 01632 960 050.",
    "owner": "moderator",
    "children": [
        news(
            "Council tax for 2026 to 2027 agreed",
            date(2026, 2, 26),
            "Full council has set the budget for 2026 to 2027, with a Band D council tax of "
            "£2,245.67.",
            [
                para(
                    "<p>Councillors agreed the budget at the full council meeting on 25 "
                    "February. The council's share of a Band D bill rises by 4.99%, "
                    "including 2% for adult social care.</p>"
                ),
                para("<p>Bills will be sent out in the week of 9 March.</p>"),
                related(
                    "Find out more",
                    page_link("council-tax-bands-and-charges"),
                    page_link("council-tax-reduction"),
                ),
            ],
        ),
        news(
            "Weekly food waste collections start in April",
            date(2026, 3, 2),
            "Every household will get a food waste caddy and weekly collections from 6 "
            "April.",
            [
                para(
                    "<p>Caddies and a year's supply of compostable liners are being "
                    "delivered to every home during March.</p>"
                ),
                para(
                    "<p>Food makes up a third of what is in the average grey bin. Recycling "
                    "it turns it into energy and fertiliser.</p>"
                ),
                call_to_action(
                    page_link("what-goes-in-which-bin", "See what goes in which bin")
                ),
            ],
        ),
        news(
            "More than 4,000 potholes repaired since January",
            date(2026, 5, 20),
            "Extra government funding has helped highways crews repair more than 4,000 "
            "potholes this year.",
            [
                para(
                    "<p>The council has also resurfaced 18 miles of road, with a further "
                    "12 miles planned before the end of September.</p>"
                ),
                para(
                    "<p>Residents are encouraged to report potholes online so they can be "
                    "inspected quickly.</p>"
                ),
                call_to_action(page_link("report-a-pothole")),
            ],
        ),
        news(
            "Libraries open for longer over the summer holidays",
            date(2026, 7, 1),
            "Central Library will open until 8pm on weekdays during the school holidays, "
            "and this year's Summer Reading Challenge starts on 18 July.",
            [
                para(
                    "<p>Children aged 4 to 11 can sign up for the Summer Reading Challenge "
                    "at any library for free.</p>"
                ),
                related(
                    "Libraries",
                    page_link("join-the-library"),
                    page_link("library-opening-times"),
                ),
            ],
        ),
        news(
            "Ravensmoor Country Park keeps its Green Flag Award",
            date(2026, 7, 15),
            "Ravensmoor Country Park has won a Green Flag Award for the ninth year running.",
            [
                para(
                    "<p>The award recognises the best parks and green spaces in the "
                    "country. Judges praised the park's volunteers and its new accessible "
                    "trail.</p>"
                ),
                related(
                    "Country parks",
                    page_link(
                        "parks-ravensmoor-country-park", "Visit Ravensmoor Country Park"
                    ),
                ),
            ],
        ),
        news(
            "Have your say on the Guildhall Local Plan",
            date(2026, 9, 14),
            "A 10-week consultation on where new homes, jobs and green spaces should go "
            "until 2045 is now open.",
            [
                para(
                    "<p>Drop-in exhibitions are being held at libraries across the borough "
                    "throughout October.</p>"
                ),
                inset(
                    "<p>The consultation closes at midnight on 23 November 2026.</p>"
                ),
                call_to_action(
                    url_link(
                        FORMS + "local-plan-consultation", "Respond to the consultation"
                    )
                ),
            ],
        ),
        news(
            "Winter gritting routes published",
            date(2026, 10, 28),
            "Gritters are ready to treat 260 miles of priority routes this winter.",
            [
                para(
                    "<p>The council has 9,000 tonnes of salt in stock and 12 gritters on "
                    "standby from October to April.</p>"
                ),
                call_to_action(
                    page_link("gritting-and-winter-roads", "See which roads we grit")
                ),
            ],
        ),
        news(
            "Bin collections over Christmas and New Year",
            date(2026, 11, 18),
            "Collections will be up to 2 days later than usual over the festive period.",
            [
                para(
                    "<p>Check your new collection day online before you put your bins "
                    "out. Real Christmas trees can be cut up and put in your brown bin, or "
                    "taken to the tip.</p>"
                ),
                call_to_action(page_link("check-your-bin-collection-day")),
            ],
        ),
    ],
}

# ------------------------------------------------------------------------------------
# General pages
# ------------------------------------------------------------------------------------

ABOUT = standard(
    "About the council",
    "How Guildhall Borough Council works, our councillors, our budget and our priorities.",
    [
        para(
            "<p>Guildhall Borough Council provides services to around 142,000 residents "
            "and 5,800 businesses. We employ about 1,100 staff.</p>"
        ),
        h2("How the council works"),
        para(
            "<p>The borough is divided into 19 wards, represented by 48 councillors who are "
            "elected every 4 years. The next borough elections are in May 2027.</p>"
        ),
        para(
            "<p>The leader of the council and a cabinet of 8 councillors make most "
            "decisions. Planning and licensing decisions are made by committees.</p>"
        ),
        h2("Our budget for 2026 to 2027"),
        table(
            "Where the money goes",
            [
                ["Service", "Spending"],
                ["Housing and homelessness", "£14.2 million"],
                ["Waste and recycling", "£11.8 million"],
                ["Roads, parking and transport", "£9.6 million"],
                ["Leisure, parks and libraries", "£7.1 million"],
                ["Planning and regeneration", "£4.4 million"],
            ],
        ),
        h2("Our priorities"),
        para(
            "<ol><li>Good homes that people can afford</li><li>A clean, green borough</li>"
            "<li>A thriving local economy</li><li>Services that are easy to use</li></ol>"
        ),
        related("Find out more", page_link("contact-us"), page_link("news")),
    ],
    key="about-the-council",
    slug="about-the-council",
)

CONTACT_US = standard(
    "Contact us",
    "How to contact Guildhall Borough Council by phone, email or in person.",
    [
        para(
            "<p>You can do most things online, any time. Use the links on our website to "
            "report problems, pay and apply for services.</p>"
        ),
        contact("customer"),
        h2("Visiting the Civic Centre"),
        para(
            "<p>Customer service advisers can see you without an appointment from 9am to "
            "4pm, Monday to Friday. Free parking for visitors is at the rear of the "
            "building.</p>"
        ),
        inset(
            "<p>If you need an interpreter, British Sign Language or information in "
            "another format, tell us and we will arrange it.</p>"
        ),
        h2("Emergencies out of hours"),
        para(
            "<p>For emergencies in the evening or at the weekend, such as homelessness, "
            "dangerous buildings or flooding, call 01632 960 999.</p>"
        ),
        details(
            "Make a complaint",
            "<p>Tell us what went wrong and what you would like us to do. We reply to "
            "complaints within 10 working days.</p>",
        ),
    ],
    key="contact-us",
    slug="contact-us",
)


# Statements are reviewed yearly; the demo's was reviewed two months before loading,
# so the accessibility audit's 12-month check passes whenever the demo is built.
STATEMENT_REVIEWED = date.fromordinal(date.today().toordinal() - 60)


def statement(title, summary, body, key, slug):
    """An AccessibilityStatementPage (known issues are added from the latest audit)."""
    return standard(
        title,
        summary,
        body,
        key=key,
        slug=slug,
        model="home.AccessibilityStatementPage",
        last_reviewed=STATEMENT_REVIEWED,
    )


def accessibility_statement(site_name, url, tested):
    reviewed = f"{STATEMENT_REVIEWED.day} {STATEMENT_REVIEWED:%B %Y}"
    return [
        para(
            f"<p>This accessibility statement applies to the {site_name} website at "
            f"{url}.</p>"
        ),
        para(
            "<p>This website is run by Guildhall Borough Council. We want as many people "
            "as possible to be able to use it. For example, that means you should be able "
            "to:</p><ul><li>change colours, contrast levels and fonts using browser or "
            "device settings</li><li>zoom in up to 400% without the text spilling off the "
            "screen</li><li>navigate most of the website using a keyboard or speech "
            "recognition software</li><li>listen to most of the website using a screen "
            "reader (including the most recent versions of JAWS, NVDA and "
            "VoiceOver)</li></ul>"
        ),
        para(
            "<p>We have also made the text as simple as possible to understand. "
            '<a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a> has advice on '
            "making your device easier to use if you have a disability.</p>"
        ),
        h2("How accessible this website is"),
        para(
            "<p>We know some parts of this website are not fully accessible:</p><ul><li>"
            "some older PDF documents are not fully accessible to screen reader software"
            "</li><li>some videos do not have audio description</li><li>some online forms "
            "provided by our suppliers are difficult to navigate using just a keyboard"
            "</li></ul>"
        ),
        h2("Feedback and contact information"),
        para(
            "<p>If you need information on this website in a different format like "
            "accessible PDF, large print, easy read, audio recording or braille, email "
            "accessibility@guildhall.example or call 01632 960 000. We'll consider your "
            "request and get back to you in 10 working days.</p>"
        ),
        h2("Reporting accessibility problems with this website"),
        para(
            "<p>We're always looking to improve the accessibility of this website. If you "
            "find any problems not listed on this page or think we're not meeting "
            "accessibility requirements, email accessibility@guildhall.example.</p>"
        ),
        h2("Enforcement procedure"),
        para(
            "<p>The Equality and Human Rights Commission (EHRC) is responsible for "
            "enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
            "Accessibility Regulations 2018 (the 'accessibility regulations'). If you're "
            "not happy with how we respond to your complaint, contact the "
            '<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and '
            "Support Service (EASS)</a>.</p>"
        ),
        h2("Technical information about this website's accessibility"),
        para(
            "<p>Guildhall Borough Council is committed to making its website accessible, "
            "in accordance with the Public Sector Bodies (Websites and Mobile "
            "Applications) (No. 2) Accessibility Regulations 2018.</p>"
        ),
        h3("Compliance status"),
        para(
            "<p>This website is partially compliant with the "
            '<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines '
            "version 2.2</a> AA standard, due to the non-compliances listed below.</p>"
        ),
        h2("Non-accessible content"),
        h3("Non-compliance with the accessibility regulations"),
        para(
            "<p>Some PDF documents published before September 2018 are not tagged, so "
            "they are difficult to use with a screen reader. This fails WCAG 2.2 success "
            "criterion 1.3.1 (info and relationships). We are replacing the documents "
            "people use most with HTML pages.</p>"
        ),
        para(
            "<p>Some third-party payment forms do not show error messages next to the "
            "field with the error. This fails WCAG 2.2 success criterion 3.3.1 (error "
            "identification). We have asked our supplier to fix this by March 2027.</p>"
        ),
        h3("Disproportionate burden"),
        para(
            "<p>We are not currently claiming that any accessibility problems would be a "
            "disproportionate burden to fix.</p>"
        ),
        h3("Content that's not within the scope of the accessibility regulations"),
        para(
            "<p>PDFs and other documents published before 23 September 2018 that are not "
            "essential to providing our services, such as old committee minutes, are "
            "exempt. Live video streams of council meetings are also exempt.</p>"
        ),
        h2("What we're doing to improve accessibility"),
        para(
            "<p>We test new page templates with disabled users and check every new "
            "document before it is published.</p>"
        ),
        h2("Preparation of this accessibility statement"),
        para(
            f"<p>This statement was prepared on 12 March 2026. It was last reviewed on "
            f"{reviewed}.</p>"
        ),
        para(
            f"<p>This website was last tested on {tested}. The test was carried out by "
            "the council's digital team, using a sample of the most visited pages, "
            "automated testing tools and manual testing with screen readers and keyboard "
            "navigation.</p>"
        ),
    ]


ACCESSIBILITY = statement(
    "Accessibility statement",
    "How accessible this website is, and how to report a problem or ask for information "
    "in a different format.",
    accessibility_statement(
        "Guildhall Borough Council", "www.guildhall.example", "24 September 2026"
    ),
    key="accessibility-statement",
    slug="accessibility-statement",
)

PRIVACY = standard(
    "Privacy notice",
    "How Guildhall Borough Council collects, uses and protects your personal information.",
    [
        para(
            "<p>Guildhall Borough Council is the data controller for the personal "
            "information we hold about you. We are registered with the Information "
            "Commissioner's Office (registration number Z1234567).</p>"
        ),
        h2("What information we collect"),
        para(
            "<p>We collect the information you give us when you apply for, pay for or "
            "report something, such as your name, address, contact details and, where "
            "needed, financial and household information.</p>"
        ),
        h2("How we use your information"),
        para(
            "<ul><li>to provide the services you ask for</li><li>to collect money you owe, "
            "such as council tax</li><li>to prevent and detect fraud</li><li>to meet our "
            "legal duties</li></ul>"
        ),
        h2("How long we keep it"),
        para(
            "<p>We keep information only for as long as we need it, as set out in our "
            "retention schedule.</p>"
        ),
        h2("Your rights"),
        para(
            "<p>You can ask to see the information we hold about you, ask us to correct "
            "it, and in some cases ask us to delete it or stop using it. Email our Data "
            "Protection Officer at dpo@guildhall.example.</p>"
        ),
        details(
            "If you are not happy with how we use your information",
            "<p>You can complain to the Information Commissioner's Office at "
            '<a href="https://ico.org.uk/make-a-complaint/">ico.org.uk</a> or on '
            "0303 123 1113.</p>",
        ),
        inset(
            "<p>Feedback you give with 'Was this page useful?' is stored without your "
            "name, IP address or any other personal details.</p>"
        ),
    ],
    key="privacy-notice",
    slug="privacy-notice",
)

A_TO_Z = {
    "model": "services.AToZPage",
    "key": "a-to-z",
    "slug": "a-to-z",
    "title": "A to Z of services",
    "summary": "Every council service in alphabetical order.",
}

COUNCIL_HOME = {
    "model": "home.HomePage",
    "key": "home",
    "slug": "home",
    "title": "Guildhall Borough Council",
    "summary": "Find council services and information for people who live and work in "
    "Guildhall.",
    "intro": "Pay, apply, report and find out about council services in Guildhall.",
    "owner": "admin",
    "news_index": "ref:news",
    "top_tasks": tasks(
        page_link("report-a-missed-bin-collection"),
        page_link("pay-your-council-tax"),
        page_link("check-your-bin-collection-day"),
        page_link("report-a-pothole"),
        page_link("apply-for-a-resident-parking-permit"),
        page_link("comment-on-a-planning-application"),
    ),
    "body": [
        inset(
            "<p>Struggling with the cost of living? You may be able to get help paying "
            "your council tax, rent and energy bills.</p>"
        ),
        related(
            "Popular pages",
            page_link("council-tax-reduction"),
            page_link("a-to-z", "A to Z of services"),
            page_link("contact-us"),
        ),
    ],
    "children": [
        *SERVICE_AREAS,
        NEWS,
        A_TO_Z,
        ABOUT,
        CONTACT_US,
        ACCESSIBILITY,
        PRIVACY,
    ],
}

# Site settings for the council site; links use page keys.
COUNCIL_SETTINGS = {
    "organisation_name": ORGANISATION_NAME,
    "brand_colour": BRAND_COLOUR,
    "navigation": links(
        page_link("bins", "Bins and recycling"),
        page_link("council-tax"),
        page_link("roads", "Roads"),
        page_link("parking"),
        page_link("planning", "Planning"),
        page_link("housing"),
    ),
    "footer_links": links(
        page_link("about-the-council", "About the council"),
        page_link("contact-us"),
        page_link("accessibility-statement"),
        page_link("privacy-notice", "Privacy"),
    ),
    "footer_text": ADDRESS + ". Telephone 01632 960 000.",
}

ALERT = {
    "title": "Bin collections delayed by one day this week after the bank holiday",
    # A link to a demo page is written with id="ref:<key>"; the builder fills in the id.
    "message": "<p>All collections this week will be one day later than usual, including "
    'Saturday. <a linktype="page" id="ref:check-your-bin-collection-day">Check your '
    "collection day</a>.</p>",
    "severity": "major",
}
