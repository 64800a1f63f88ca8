"""A video on a page in headless Chromium: the player keeps its 16:9 box and the
caption with the transcript link shows in full below it, where a resident can read
and follow it."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.journeys import serve_default_site
from tests.factories.home import StandardPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def video_page(live_server, home_page):
    transcript = StandardPageFactory(
        parent=home_page, title="Recycling video transcript", slug="transcript"
    )
    page = StandardPageFactory(parent=home_page, title="Recycling", slug="recycling")
    page.body = [
        (
            "video",
            {
                "title": "How to sort your recycling",
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "transcript": transcript,
            },
        )
    ]
    page.save_revision().publish()
    return serve_default_site(live_server) + "/recycling/"


RECT = (
    "const r = arguments[0].getBoundingClientRect();"
    "return [r.top, r.bottom, r.left, r.right, r.width, r.height];"
)


def test_the_video_caption_and_transcript_link_show_below_the_player(
    browser, video_page
):
    browser.set_window_size(1024, 900)
    browser.get(video_page)
    frame = browser.find_element(By.CSS_SELECTOR, ".council-video__frame")
    caption = browser.find_element(By.CSS_SELECTOR, ".council-video figcaption")
    link = caption.find_element(By.LINK_TEXT, "read the transcript")
    top, bottom, left, right, width, height = browser.execute_script(RECT, frame)
    assert height == pytest.approx(width * 9 / 16, abs=1)
    caption_top, caption_bottom, *_, caption_height = browser.execute_script(
        RECT, caption
    )
    assert caption_height > 0 and caption_top >= bottom
    assert caption.is_displayed() and link.is_displayed()
    assert "How to sort your recycling" in caption.text
    # Nothing clips or covers the link: the element at its centre is the link.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    hit = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);",
        link,
    )
    assert hit == link
    link.click()
    assert browser.current_url.endswith("/transcript/")
