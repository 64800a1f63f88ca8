import pytest

from tests.myaccount.factories import (
    PASSWORD,
    MyAccountPageFactory,
    ProfileFactory,
    ResidentFactory,
)


@pytest.fixture
def resident(db):
    return ProfileFactory(
        user=ResidentFactory(first_name="Amira", last_name="Khan")
    ).user


@pytest.fixture
def other_resident(db):
    return ProfileFactory(
        user=ResidentFactory(first_name="Bertie", last_name="Other"),
        address_line_1="9 Mill Lane",
        postcode="GH3 4DD",
        uprn="100090300009",
    ).user


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


@pytest.fixture
def my_account_page(home_page):
    page = MyAccountPageFactory(parent=home_page)
    return page


@pytest.fixture
def password():
    return PASSWORD
