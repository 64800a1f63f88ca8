"""The Guildhall Country Parks microsite as plain data (see ``content`` for the format).

Page keys start with ``parks-`` so they never clash with the council site's keys.
"""

from .content import (
    VIDEO_URL,
    accessibility_statement,
    service,
    standard,
    statement,
)
from .streams import (
    call_to_action,
    contact,
    details,
    h2,
    inset,
    links,
    page_link,
    para,
    table,
    tasks,
    url_link,
    video,
    warning,
)

ORGANISATION_NAME = "Guildhall Country Parks"
BRAND_COLOUR = "#2d5016"

OUR_PARKS = {
    "model": "services.ServiceLandingPage",
    "key": "parks-our-parks",
    "slug": "our-parks",
    "title": "Our parks",
    "summary": "Two country parks with woodland, heath and lakeside walks, open every day.",
    "intro": "Ravensmoor and Ashdown Water cover more than 900 acres of woodland, heath, "
    "meadow and water.",
    "show_in_menus": True,
    "owner": "editor",
    "contact_key": "parks",
    "body": [contact("parks")],
    "top_tasks": tasks(
        page_link("parks-ravensmoor-country-park"),
        page_link("parks-ashdown-water"),
        page_link("parks-parking-and-charges"),
        page_link("parks-events-and-activities"),
    ),
    "children": [
        service(
            "Ravensmoor Country Park",
            "Ancient woodland, open heath and a visitor centre with a café and play area.",
            [
                para(
                    "<p>Ravensmoor covers 640 acres on the edge of the moor, 3 miles north "
                    "of Guildhall town centre. Waymarked trails range from a 1-mile "
                    "accessible loop to the 7-mile Ridgeway walk.</p>"
                ),
                h2("Facilities"),
                para(
                    "<ul><li>visitor centre and café, open 10am to 4pm</li><li>accessible "
                    "toilets and a Changing Places toilet</li><li>adventure play area</li>"
                    "<li>mobility scooters to borrow free of charge (book ahead)</li></ul>"
                ),
                video("A walk around Ravensmoor Country Park", VIDEO_URL),
                warning(
                    "Keep dogs on a lead between 1 March and 31 July, when ground-nesting "
                    "birds breed on the heath."
                ),
            ],
            key="parks-ravensmoor-country-park",
            related_links=[page_link("parks-parking-and-charges")],
        ),
        service(
            "Ashdown Water",
            "A 90-acre reservoir with a lakeside path, bird hides and watersports.",
            [
                para(
                    "<p>The 3-mile lakeside path is flat and surfaced, and suitable for "
                    "wheelchairs and pushchairs.</p>"
                ),
                para(
                    "<p>Sailing, paddleboarding and kayaking are run by Ashdown Water "
                    "Sports Centre from April to October.</p>"
                ),
                warning(
                    "Swimming in the reservoir is not allowed. The water is deep and "
                    "very cold, even in summer."
                ),
                details(
                    "Fishing",
                    "<p>Day fishing permits cost £12 from the visitor centre. You will also "
                    "need a rod licence from the Environment Agency.</p>",
                ),
            ],
            key="parks-ashdown-water",
        ),
        service(
            "Parking and charges",
            "Car park charges at both parks, and how to pay or buy an annual permit.",
            [
                table(
                    "Car park charges",
                    [
                        ["Stay", "Charge"],
                        ["Up to 2 hours", "£2.50"],
                        ["Up to 4 hours", "£4"],
                        ["All day", "£6"],
                        ["Annual permit (both parks)", "£65"],
                    ],
                ),
                inset(
                    "<p>Blue Badge holders park free. Pay by card or with the "
                    "PayByPhone app; the machines do not take cash.</p>"
                ),
                para(
                    "<p>Car parks open at 8am and close at dusk. Closing times are shown at "
                    "each entrance.</p>"
                ),
            ],
            start=url_link(
                "https://www.example.com/forms/country-park-permit",
                "Buy an annual parking permit",
            ),
            start_text="Buy a permit",
            key="parks-parking-and-charges",
        ),
        service(
            "Events and activities",
            "Guided walks, family activities, bushcraft and volunteering days all year round.",
            [
                table(
                    "Coming up",
                    [
                        ["Event", "Where", "When"],
                        [
                            "Winter bird walk",
                            "Ashdown Water",
                            "Saturdays in December, 9am",
                        ],
                        [
                            "Wreath making workshop",
                            "Ravensmoor visitor centre",
                            "12 December, 10am",
                        ],
                        ["New Year's Day guided walk", "Ravensmoor", "1 January, 11am"],
                        ["Toddler nature club", "Ravensmoor", "Every Wednesday, 10am"],
                    ],
                ),
                para(
                    "<p>Most events are free. Paid events must be booked in advance.</p>"
                ),
                call_to_action(
                    url_link(
                        "https://www.example.com/forms/country-park-events",
                        "Book an event",
                    )
                ),
            ],
            key="parks-events-and-activities",
        ),
        service(
            "Dogs in the parks",
            "Where you can walk your dog, when to keep it on a lead and where to find bins.",
            [
                para(
                    "<p>Dogs are welcome in both parks. There are dog bins at every car park "
                    "and along the main trails.</p>"
                ),
                warning(
                    "Dogs must be kept on a lead near livestock and in the bird "
                    "sanctuary at all times."
                ),
            ],
            key="parks-dogs-in-the-parks",
        ),
    ],
}

PARKS_HOME = {
    "model": "home.HomePage",
    "key": "parks-home",
    "slug": "guildhall-country-parks",
    "title": "Guildhall Country Parks",
    "summary": "Ravensmoor Country Park and Ashdown Water: walks, wildlife, events and "
    "volunteering.",
    "intro": "Explore woodland, heath and water at Guildhall's two country parks, open every "
    "day of the year.",
    "owner": "editor",
    "top_tasks": tasks(
        page_link("parks-ravensmoor-country-park"),
        page_link("parks-ashdown-water"),
        page_link("parks-parking-and-charges", "Parking and charges"),
        page_link("parks-events-and-activities", "What's on"),
        page_link("parks-volunteering", "Volunteer with us"),
    ),
    "body": [
        inset(
            "<p>Both parks are open every day from 8am to dusk. Visitor centres are open "
            "from 10am to 4pm.</p>"
        ),
    ],
    "children": [
        OUR_PARKS,
        standard(
            "Visit us",
            "How to get to the parks by car, bus and bike, and what to bring.",
            [
                h2("Getting here"),
                para(
                    "<p>Ravensmoor is on Moor Road, Guildhall GH6 4RP. Ashdown Water is on "
                    "Reservoir Lane, Ashdown GH8 5AW.</p>"
                ),
                para(
                    "<p>The number 27 bus runs every 30 minutes from Guildhall bus station "
                    "to Ravensmoor. National Cycle Route 45 passes both parks.</p>"
                ),
                h2("Accessibility"),
                para(
                    "<p>Both parks have accessible paths, toilets and parking. Free "
                    "mobility scooters can be borrowed at Ravensmoor.</p>"
                ),
                contact("parks"),
            ],
            key="parks-visit-us",
            show_in_menus=True,
        ),
        standard(
            "Volunteering",
            "Join our volunteers to look after the parks, lead walks and help with events.",
            [
                para(
                    "<p>Around 120 volunteers help the ranger team with conservation work, "
                    "guided walks, surveys and events.</p>"
                ),
                details(
                    "Conservation volunteers",
                    "<p>Tuesdays and Saturdays, 10am to 3pm. Tools, training and a hot drink "
                    "are provided.</p>",
                ),
                details(
                    "Visitor centre volunteers",
                    "<p>Welcome visitors and help in the shop for one morning or afternoon a "
                    "week.</p>",
                ),
                call_to_action(
                    url_link(
                        "https://www.example.com/forms/park-volunteer",
                        "Apply to volunteer",
                    ),
                    start_button=True,
                ),
            ],
            key="parks-volunteering",
            show_in_menus=True,
        ),
        statement(
            "Accessibility statement",
            "How accessible the Guildhall Country Parks website is and how to report a "
            "problem.",
            accessibility_statement(
                "Guildhall Country Parks",
                "parks.guildhall.example",
                "24 September 2026",
            ),
            key="parks-accessibility-statement",
            slug="accessibility-statement",
        ),
    ],
}

PARKS_SETTINGS = {
    "organisation_name": ORGANISATION_NAME,
    "brand_colour": BRAND_COLOUR,
    "navigation": links(
        page_link("parks-our-parks"),
        page_link("parks-visit-us"),
        page_link("parks-events-and-activities", "What's on"),
        page_link("parks-volunteering"),
    ),
    "footer_links": links(
        page_link("parks-accessibility-statement"),
        page_link("privacy-notice", "Privacy"),
        page_link("home", "Guildhall Borough Council"),
    ),
    "footer_text": "Guildhall Country Parks are run by Guildhall Borough Council. "
    "Ranger office: Ravensmoor Country Park, Moor Road, Guildhall GH6 4RP.",
}
