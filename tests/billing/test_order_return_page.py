"""The card payment's return page while the payment is being confirmed: it looks again by itself
(static/js/billing-order.js, from the page's own origin) and offers "Check again" by hand, but never
refreshes itself with <meta http-equiv="refresh"> (a timed refresh moves the reader: WCAG 2.2.1,
axe's critical `meta-refresh`). Once paid, nothing looks again."""

import pytest
from django.test import Client

from billing.choices import PaymentMethod
from billing.services import order_fulfil
from tests.billing.factories_stripe import course_order

pytestmark = pytest.mark.django_db

SCRIPT = b"/static/js/billing-order.js"


def _page(order, path):
    browser = Client()
    browser.force_login(order.payer)
    response = browser.get(path)
    assert response.status_code == 200
    return response.content


def test_the_return_page_of_an_unconfirmed_card_payment_looks_again_without_a_timed_refresh():
    order = course_order()
    path = f"/billing/orders/{order.pk}/return/"

    html = _page(order, path)

    assert b"We are confirming your payment" in html
    assert b'http-equiv="refresh"' not in html.lower()
    assert b'data-order-poll="5"' in html
    assert SCRIPT in html
    assert f'<a href="{path}" data-testid="order-check-again">Check again</a>'.encode() in html


@pytest.mark.parametrize(
    "path", ["/billing/orders/{pk}/", "/billing/orders/{pk}/return/?cancelled=1"]
)
def test_an_order_page_that_is_not_confirming_does_not_look_again(path):
    order = course_order()

    html = _page(order, path.format(pk=order.pk))

    assert b"data-order-poll" not in html and SCRIPT not in html
    assert b"order-check-again" not in html


def test_once_paid_the_return_page_says_so_and_does_not_look_again():
    order = course_order()
    order_fulfil(
        order_id=order.pk, method=PaymentMethod.STRIPE, amount=order.total, currency=order.currency
    )

    html = _page(order, f"/billing/orders/{order.pk}/return/")

    assert b"Payment received. Thank you!" in html
    assert b"data-order-poll" not in html and SCRIPT not in html
